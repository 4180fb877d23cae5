"""One operation object per contract operation that does, in one call, what Connexion's routed layers do.

After routing, Connexion hands a request through one operation per routed layer: security
(`SecurityOperation`: the schemes' info functions), request validation (the planned
`PlannedRequestValidationOperation`), the context (`ContextOperation`: the context variables the
handler's decorator reads) and the app's `AsyncOperation` (the decorated handler, then the
response sent). `alertmock/framework/speed/linked_operations.py` already points each at the next one; each
still costs a coroutine and its frame, and the security layer a lookup by operation id.

`RoutedOperation` runs the same steps in one frame, calling each layer's own code
(`verification_fn`, `PlannedRequestValidationOperation.validated`, the handler's `fn`) in the
same order, on the same scope and receive, so the same exceptions reach the same error handlers.
`fuse_operations` builds one per operation of the root API at start-up, and only out of
operations whose classes run exactly those steps: a layer it does not know (response validation
when on, a subclass, a layer inserted by someone else) ends the fused part, and the rest of the
chain runs as linked. `IndexedRoutingMiddleware` calls it for a request it routed itself
(alertmock/framework/speed/planned_app.py); everything else (the control API, 404s, 405s) takes the chain.
"""

from __future__ import annotations

import typing as t

from connexion.apps.asynchronous import AsyncOperation
from connexion.context import _context, _operation, _receive, _scope
from connexion.middleware.context import ContextOperation
from connexion.middleware.routing import RoutingOperation
from connexion.middleware.security import SecurityOperation
from starlette.types import ASGIApp, Receive, Scope, Send

from alertmock.framework.speed import linked_operations
from alertmock.framework.speed.parsed_request import ScopedRequest

__all__ = ["RoutedOperation", "fuse_operations"]


class RoutedOperation:
    """Security, request validation, context and handler of one operation (each optional, in order)."""

    __slots__ = ("context", "endpoint", "rest", "security", "validation", "verify")

    def __init__(
        self,
        security: SecurityOperation | None,
        validation: t.Any,
        context: ContextOperation | None,
        endpoint: AsyncOperation | None,
        rest: ASGIApp | None,
    ) -> None:
        self.security = security
        # `SecurityOperation.__call__` checks nothing for an operation without security.
        self.verify = security.verification_fn if security is not None and security.security else None
        self.validation = validation
        self.context = context
        self.endpoint = endpoint
        self.rest = rest  # what the last fused layer hands the request to, when not the handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.verify is not None:
            await self.verify(ScopedRequest(scope))  # `SecurityOperation.__call__`
        if self.validation is not None:
            receive, scope = await self.validation.validated(scope, receive)
        context = self.context
        if context is not None:  # `ContextOperation.__call__`
            _context.set(scope.get("extensions", {}).get("connexion_context", {}))
            _operation.set(context.operation)
            _receive.set(receive)
            _scope.set(scope)
        if self.endpoint is not None:  # `AsyncOperation.__call__`
            response = await self.endpoint.fn()
            await response(scope, receive, send)
            return
        await self.rest(scope, receive, send)  # type: ignore[misc]


def _runs(operation: t.Any, cls: type) -> bool:
    # Exactly that class's `__call__`: a subclass that changes it does something else.
    return isinstance(operation, cls) and type(operation).__call__ is cls.__call__


def fuse(routing_operation: RoutingOperation, base_path: str, validation_cls: type) -> RoutedOperation | None:
    """The fused operation for what `routing_operation` hands requests to, or None (nothing fuses)."""
    # Through the module: what links the layers (and what a test breaks) links this too.
    node = linked_operations._next_operation(routing_operation.next_app, base_path, routing_operation.operation_id)
    security = validation = context = endpoint = None
    if _runs(node, SecurityOperation):
        security, node = node, node.next_app
    if _runs(node, validation_cls):
        validation, node = node, node.next_app
    if _runs(node, ContextOperation):
        context, node = node, node.next_app
        if _runs(node, AsyncOperation):
            endpoint, node = node, None
    if security is None and validation is None and context is None:
        return None
    return RoutedOperation(security, validation, context, endpoint, node)


def fuse_operations(routes: t.Iterable[t.Any], base_path: str, validation_cls: type) -> dict[str, RoutedOperation]:
    """Operation id -> its fused operation, for the routes of one API whose chain fuses."""
    fused = {}
    for route in routes:
        endpoint = getattr(route, "endpoint", None)
        if isinstance(endpoint, RoutingOperation) and endpoint.operation_id is not None:
            operation = fuse(endpoint, base_path, validation_cls)
            if operation is not None:
                fused[endpoint.operation_id] = operation
    return fused
