"""Each routed layer's operation hands a request straight to the next layer's operation.

After routing, a request passes Connexion's routed middlewares in turn (security, request
validation, context, the app): each is a `RoutedMiddleware` whose `__call__` looks the operation
up again, by the API base path and operation id the routing layer put in the scope, and calls it;
between two of them, `LifespanMiddleware` passes HTTP requests on untouched. Those lookups give
the same answer for every request an operation sees: an operation of one layer is only reached
for its own (base path, operation id), and the next layer's operation for that pair is fixed once
the APIs are added. So, once the middleware stack is built, `link_operations` points each
operation's `next_app` at that next operation directly, skipping the lookup and the pass-through
layer. Anything the lookup would not resolve to one operation (an id the next layer lacks, a base
path it does not know) keeps its dynamic path.
"""

from __future__ import annotations

import typing as t

from connexion.middleware.abstract import RoutedMiddleware
from connexion.middleware.context import ContextOperation
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationOperation
from connexion.middleware.response_validation import ResponseValidationOperation
from connexion.middleware.security import SecurityOperation

__all__ = ["link_operations"]

# The operations that end by calling their `next_app` with the request. (An API may register
# something else as an operation: response validation, when off, registers the next layer itself.)
LINKED = (SecurityOperation, RequestValidationOperation, ResponseValidationOperation, ContextOperation)


def link_operations(stack: t.Iterable[t.Any]) -> int:
    """Link the operations of every routed middleware in `stack` to the next one's; how many were."""
    linked = 0
    for middleware in stack:
        if not isinstance(middleware, RoutedMiddleware):
            continue
        for base_path, apis in middleware.apis.items():
            for api in apis:
                for operation_id, operation in api.operations.items():
                    if not isinstance(operation, LINKED):
                        continue
                    following = _next_operation(operation.next_app, base_path, operation_id)
                    if following is not None:
                        operation.next_app = following
                        linked += 1
    return linked


def _next_operation(app: t.Any, base_path: str, operation_id: str | None) -> t.Any:
    """The operation `RoutedMiddleware.__call__` of the next routed layer would call, or None."""
    while isinstance(app, LifespanMiddleware):  # passes every HTTP request on as it is
        app = app.next_app
    if not isinstance(app, RoutedMiddleware) or operation_id is None:
        return None
    for api in app.apis.get(base_path, ()):
        if operation_id in api.operations:
            found = api.operations[operation_id]
            if isinstance(found, LifespanMiddleware | RoutedMiddleware):  # a layer registered as one
                return _next_operation(found, base_path, operation_id) or found
            return found
    return None
