"""A `ConnexionRequest` whose parsed parameters are shared through the ASGI scope.

Connexion parses a request's parameters twice: the parameter validator builds its own request
object, then the handler's decorator another, and each parses the query string (splitting
arrays, resolving deep objects, coercing types) and resolves the path parameters again: about
13% of a paged list request, 7% of a create. Both are given this class: the first parse is kept in
the scope, the second reads it. The validator and the argument mapping only read the parsed
values, so sharing them is safe. Entries are keyed by the URI parser's class: another class may
resolve the same request differently.

Clients repeat their query strings (a list page after page, a poller), so a parsed query is also
remembered per URI parser (the validator's, one per operation) by the raw query string, when the
string is short and its values are scalars and lists of scalars: the argument mapping hands
handlers new values made from those (Connexion copies lists, not the insides of objects), so
nothing can change a remembered one, and what is kept stays small.

A JSON body is parsed once too: the body validator keeps what it parsed and validated in the
scope (`share_json_body`), and the handler's argument mapping takes it from there instead of
reading the replayed body and parsing it again (`shared_json_body`). Validation leaves the parsed
body as it was (Connexion's `MUTABLE_VALIDATION` is off), and the handler is its only reader after.
"""

from __future__ import annotations

import typing as t
import weakref

from connexion.lifecycle import ConnexionRequest
from starlette.requests import Request as StarletteRequest

from alertmock.bounded_cache import BoundedCache

__all__ = [
    "NOT_SHARED",
    "ScopedRequest",
    "SharedParsingRequest",
    "reusable_parse",
    "reuse_parse",
    "share_json_body",
    "shared_json_body",
]

_KEY = "alertmock.parsed_parameters"
_BODY_KEY = "alertmock.parsed_json_body"
NOT_SHARED = object()
# Per URI parser (gone with its app), raw query string -> parsed query.
_QUERIES: weakref.WeakKeyDictionary[t.Any, BoundedCache[bytes, dict[str, t.Any]]] = weakref.WeakKeyDictionary()
_QUERIES_PER_PARSER = 256
_LONGEST_REMEMBERED = 1024  # bytes of query string


class ScopedRequest(ConnexionRequest):
    """A `ConnexionRequest` whose scope and headers are read directly. Connexion's hands every
    other attribute to its Starlette request through `__getattr__`, which first asks whether that
    request is truthy: a `len()` of the scope (Starlette's requests are mappings), each time."""

    def __init__(self, *args: t.Any, uri_parser: t.Any = None, **kwargs: t.Any) -> None:
        # Connexion's, which asks `hasattr(self, "_starlette_request")` first: on a new request that
        # is an AttributeError raised and caught through `__getattr__`.
        if "_starlette_request" not in self.__dict__:  # else set by `from_starlette_request`
            self._starlette_request = StarletteRequest(*args, **kwargs)
        self.uri_parser = uri_parser
        self._context = None
        self._mimetype = None
        self._path_params = None
        self._query_params = None
        self._form = None
        self._files = None

    @property
    def scope(self) -> dict[str, t.Any]:
        return self._starlette_request.scope  # type: ignore[no-any-return]

    @property
    def headers(self) -> t.Any:
        return self._starlette_request.headers


class SharedParsingRequest(ScopedRequest):
    @property
    def query_params(self) -> dict[str, t.Any]:
        if self._query_params is None:
            self._query_params = self._shared("query", _parse_query)
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


def _parse_query(request: ConnexionRequest) -> dict[str, t.Any]:
    known = _QUERIES.get(request.uri_parser)
    if known is None:
        known = _QUERIES[request.uri_parser] = BoundedCache(_QUERIES_PER_PARSER)
    raw = request.scope.get("query_string", b"")
    parsed = known.get(raw)
    if parsed is None:
        parsed = ConnexionRequest.query_params.fget(request)  # type: ignore[attr-defined]
        if len(raw) <= _LONGEST_REMEMBERED and all(_flat(value) for value in parsed.values()):
            known.put(raw, parsed)
    return parsed  # type: ignore[no-any-return]


_SCALARS = (str, int, float, bool, type(None))


def _flat(value: t.Any) -> bool:
    return isinstance(value, _SCALARS) or (isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value))


def reusable_parse(scope: dict[str, t.Any]) -> dict[t.Any, dict[str, t.Any]] | None:
    """What the request's parameters parsed to, if another request may be handed it: only
    scalars and lists of scalars, which nothing downstream changes (see the module docstring)."""
    shared = scope.get(_KEY, {})
    if all(_flat(value) for parsed in shared.values() for value in parsed.values()):
        return dict(shared)
    return None


def reuse_parse(scope: dict[str, t.Any], parsed: dict[t.Any, dict[str, t.Any]]) -> None:
    """Give this request the parse `reusable_parse` kept from an identical one."""
    scope.setdefault(_KEY, {}).update(parsed)


def share_json_body(scope: dict[str, t.Any], body: t.Any) -> None:
    """Keep the JSON body the validator parsed (from UTF-8 bytes) for the handler's arguments."""
    scope[_BODY_KEY] = body


def shared_json_body(scope: dict[str, t.Any]) -> t.Any:
    """The body `share_json_body` kept, else `NOT_SHARED` (read and parse the body as usual)."""
    return scope.get(_BODY_KEY, NOT_SHARED)
