"""A `ConnexionRequest` whose parsed query parameters are shared through the ASGI scope.

Connexion parses a request's query string twice: the parameter validator builds its own request
object, then the handler's decorator another, and each parses the query string, splits arrays,
resolves deep objects and coerces types again (about 13% of a paged list request). Both are given
this class: the first parse is kept in the scope, the second reads it. The validator and the
argument mapping only read the parsed values, so sharing them is safe. The entry is keyed by the
URI parser's class: another class may resolve the same query string differently.
"""

from __future__ import annotations

import typing as t

from connexion.lifecycle import ConnexionRequest

__all__ = ["SharedParsingRequest"]

_KEY = "alertmock.parsed_query"


class SharedParsingRequest(ConnexionRequest):
    @property
    def query_params(self) -> dict[str, t.Any]:
        if self._query_params is None:
            shared = self._starlette_request.scope.setdefault(_KEY, {})
            parser = type(self.uri_parser)
            parsed = shared.get(parser)
            if parsed is None:
                parsed = shared[parser] = ConnexionRequest.query_params.fget(self)  # type: ignore[attr-defined]
            self._query_params = parsed
        return self._query_params  # type: ignore[no-any-return]
