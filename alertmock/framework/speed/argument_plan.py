"""What Connexion's `get_arguments` works out on every request, worked out once per operation.

`connexion.decorators.parameter.get_arguments` maps a request onto the handler's keyword
arguments. On every call it rebuilds the operation's path and query parameter tables, its query
defaults (deep-copied and deep-merged even when there are none), sanitises every name with three
regexes, and looks up the body schema through `fnmatch`-based media type matching: about a fifth
of a simple GET's time in the engine.

`ArgumentPlan` keeps those tables per operation and still converts each value with Connexion's
own `_get_val_from_param` and builds the body argument with its `_get_body_argument`, so the
handler receives exactly what `get_arguments` would give it. Form requests (with their files) are
left to `get_arguments` itself: the contract has none, and they are not worth a second path.
"""

from __future__ import annotations

import typing as t
from copy import deepcopy

from connexion.decorators.parameter import _get_body_argument, _get_query_defaults, _get_val_from_param
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.utils import deep_merge, is_null, is_nullable

from alertmock.bounded_cache import BoundedCache

__all__ = ["ArgumentPlan"]

# Per-content-type entries kept per operation: keyed by what clients send, so bounded.
_PER_OPERATION = 32
# Values that `deepcopy` returns as they are.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _merged(defaults: dict[str, t.Any], query: dict[str, t.Any]) -> dict[str, t.Any]:
    """`deep_merge(deepcopy(defaults), query)` for scalar defaults: a value equal to the default
    keeps the default (``1`` against ``True`` stays ``True``), as `deep_merge` does."""
    merged = dict(defaults)
    for name, value in query.items():
        if name not in merged or merged[name] != value:
            merged[name] = value
    return merged


class ArgumentPlan:
    def __init__(
        self, operation: t.Any, arguments: t.Collection[str], has_kwargs: bool, sanitize: t.Callable[[str], str]
    ) -> None:
        self.operation = operation
        self._arguments = list(arguments)
        self._has_kwargs = has_kwargs
        self._sanitize = sanitize
        parameters = operation.parameters
        self._path = {p["name"]: (sanitize(p["name"]), p) for p in parameters if p["in"] == "path"}
        query = {p["name"]: p for p in parameters if p["in"] == "query"}
        # Only the query parameters the handler takes become arguments (Connexion logs and drops the rest).
        self._query = [
            (name, sanitize(name), definition)
            for name, definition in query.items()
            if has_kwargs or sanitize(name) in arguments
        ]
        self._query_defaults = _get_query_defaults(query)
        # Scalar defaults (the usual page sizes and flags) merge without `deepcopy`: nothing in
        # them can be shared with, or changed by, a handler. Anything else takes Connexion's way.
        self._scalar_defaults = all(type(value) in _SCALARS for value in self._query_defaults.values())
        # Path parameters the contract does not declare under their routed name (a name Connexion
        # made an identifier of): sanitised once per name, which comes from the routes, not clients.
        self._undeclared: BoundedCache[str, str] = BoundedCache(_PER_OPERATION)
        self.reads_query = bool(self._query)
        # TRACE never takes a body (RFC 7231 4.3.8), as in `get_arguments`.
        self.takes_body = operation.is_request_body_defined and operation.method.upper() != "TRACE"
        self._bodies: BoundedCache[str, tuple[str | None, bool, t.Any]] = BoundedCache(_PER_OPERATION)
        self._reads_body: BoundedCache[str, bool] = BoundedCache(_PER_OPERATION)

    def reads_body(self, content_type: str) -> bool:
        """Whether the handler takes the body (as in Connexion, it is only read then)."""
        wanted = self._reads_body.get(content_type)
        if wanted is None:
            name = self._sanitize(self.operation.body_name(content_type))
            wanted = self._has_kwargs or name in self._arguments
            self._reads_body.put(content_type, wanted)
        return wanted

    def arguments(
        self, path_params: dict[str, t.Any], query_params: dict[str, t.Any], body: t.Any, content_type: str | None
    ) -> dict[str, t.Any]:
        """The handler's keyword arguments; `content_type` is only read when the operation takes a body."""
        kwargs: dict[str, t.Any] = {}
        for name, value in path_params.items():
            planned = self._path.get(name)
            if planned is None:
                # A path parameter the contract does not declare is passed through, as Connexion does.
                key = self._undeclared.get(name)
                if key is None:
                    key = self._undeclared.put(name, self._sanitize(name))
                kwargs[key] = value
            else:
                kwargs[planned[0]] = _get_val_from_param(value, planned[1])
        if self._query_defaults:
            if self._scalar_defaults:
                query_params = _merged(self._query_defaults, query_params)
            else:
                query_params = deep_merge(deepcopy(self._query_defaults), query_params)
        for name, key, definition in self._query:
            if name in query_params:
                kwargs[key] = _get_val_from_param(query_params[name], definition)
        if self.takes_body:
            if content_type in FORM_CONTENT_TYPES:
                kwargs.update(
                    _get_body_argument(
                        body,
                        operation=self.operation,
                        arguments=self._arguments,
                        has_kwargs=self._has_kwargs,
                        sanitize=self._sanitize,
                        content_type=content_type,
                    )
                )
            else:
                name, nullable, default = self._body_plan(content_type or "")
                if name is not None:
                    # `_get_body_argument_json`: a null body where the schema allows null stays None,
                    # a missing one becomes (a copy of) the schema's default.
                    if nullable and is_null(body):
                        kwargs[name] = None
                    else:
                        kwargs[name] = deepcopy(default) if body is None else body
        return kwargs

    def _body_plan(self, content_type: str) -> tuple[str | None, bool, t.Any]:
        """The body argument's name (None: the handler does not take it), nullability and default."""
        plan = self._bodies.get(content_type)
        if plan is None:
            operation = self.operation
            name = self._sanitize(operation.body_name(content_type))
            taken = bool(self._arguments or self._has_kwargs) and (self._has_kwargs or name in self._arguments)
            schema = operation.body_schema(content_type)
            plan = (name if taken else None, is_nullable(schema), schema.get("default", {}))
            self._bodies.put(content_type, plan)
        return plan
