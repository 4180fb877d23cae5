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
from connexion.utils import deep_merge

__all__ = ["ArgumentPlan"]


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
        # TRACE never takes a body (RFC 7231 4.3.8), as in `get_arguments`.
        self.takes_body = operation.is_request_body_defined and operation.method.upper() != "TRACE"

    def arguments(
        self, path_params: dict[str, t.Any], query_params: dict[str, t.Any], body: t.Any, content_type: str | None
    ) -> dict[str, t.Any]:
        """The handler's keyword arguments; `content_type` is only read when the operation takes a body."""
        kwargs: dict[str, t.Any] = {}
        for name, value in path_params.items():
            planned = self._path.get(name)
            if planned is None:
                # A path parameter the contract does not declare is passed through, as Connexion does.
                kwargs[self._sanitize(name)] = value
            else:
                kwargs[planned[0]] = _get_val_from_param(value, planned[1])
        if self._query_defaults:
            query_params = deep_merge(deepcopy(self._query_defaults), query_params)
        for name, key, definition in self._query:
            if name in query_params:
                kwargs[key] = _get_val_from_param(query_params[name], definition)
        if self.takes_body:
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
        return kwargs
