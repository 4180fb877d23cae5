"""A `ConnexionRequest` whose parsed parameters are shared through the ASGI scope.

Connexion parses a request's parameters twice: the parameter validator builds its own request
object, then the handler's decorator another, and each parses the query string (splitting
arrays, resolving deep objects, coercing types) and resolves the path parameters again: about
13% of a paged list request, 7% of a create. Both are given this class: the first parse is kept in
the scope, the second reads it. The validator and the argument mapping only read the parsed
values, so sharing them is safe. Entries are keyed by the URI parser's class: another class may
resolve the same request differently.
"""

from __future__ import annotations

import typing as t

from connexion.lifecycle import ConnexionRequest

__all__ = ["SharedParsingRequest"]

_KEY = "alertmock.parsed_parameters"


class SharedParsingRequest(ConnexionRequest):
    @property
    def query_params(self) -> dict[str, t.Any]:
        if self._query_params is None:
            self._query_params = self._shared("query", ConnexionRequest.query_params.fget)  # type: ignore[attr-defined]
        return self._query_params  # type: ignore[no-any-return]

    @property
    def path_params(self) -> dict[str, t.Any]:
        if self._path_params is None:
            self._path_params = self._shared("path", ConnexionRequest.path_params.fget)  # type: ignore[attr-defined]
        return self._path_params  # type: ignore[no-any-return]

    def _shared(self, kind: str, parse: t.Callable[[ConnexionRequest], dict[str, t.Any]]) -> dict[str, t.Any]:
        shared = self._starlette_request.scope.setdefault(_KEY, {})
        key = (kind, type(self.uri_parser))
        parsed = shared.get(key)
        if parsed is None:
            parsed = shared[key] = parse(self)
        return parsed  # type: ignore[no-any-return]
