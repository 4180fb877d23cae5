"""Routing that only tries the routes a path can match, by its first literal segments.

Starlette's `Router` tries its routes in order, one regex each, until one matches: with several
APIs' operations in one contract, a request for the last of them went through dozens of regexes
(most of its routing time) before reaching its own. A route whose path starts with literal
segments can only match paths that start with the same segments, so `IndexedRouter` narrows the
list by the request's first two segments before handing it to a plain Starlette router. The
narrowed routes keep their order, so the first match is the one the full router would have found.

Only a hit is served by the narrowed list. When none of its routes matches even partially, the
full router runs as before (trailing-slash redirects, the chained API, the default): unmatched
paths pay twice, matched ones far less.

`full_match` answers, without routing, which route Starlette's router would hand a request to
when one matches it fully (path and method), with the path parameters it would convert: what
`IndexedRoutingMiddleware` remembers per (method, path).
"""

from __future__ import annotations

import typing as t

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Receive, Scope, Send

from alertmock.bounded_cache import BoundedCache

__all__ = ["FullMatch", "IndexedRouter"]

# Segments looked at: an API prefix and a resource, typically (a route with a parameter in second
# place is found by its first segment alone).
DEPTH = 2
# Narrowed routers remembered. Clients (fuzzers) invent leading segments without end: past this
# many the oldest are forgotten, and keys longer than KEY_LIMIT characters are never kept.
CACHE_LIMIT = 256
KEY_LIMIT = 200

Key = tuple[str, ...]


class FullMatch(t.NamedTuple):
    router: Router  # the narrowed router that routes the request
    route: BaseRoute
    params: dict[str, t.Any]  # the route's converted path parameters


def literal_prefix(route: BaseRoute) -> Key:
    """The route's leading literal path segments (at most `DEPTH`), up to its first parameter."""
    path = getattr(route, "path", "")
    prefix: list[str] = []
    for segment in path.split("/")[1 : DEPTH + 1]:
        if "{" in segment:
            break
        prefix.append(segment)
    return tuple(prefix)


def can_match(prefix: Key, key: Key) -> bool:
    return key[: len(prefix)] == prefix


class IndexedRouter(Router):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._narrowed: BoundedCache[Key, Router] = BoundedCache(CACHE_LIMIT)
        self._built_for: tuple[int, t.Any] = (-1, None)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        await self._narrowed_for(get_route_path(scope)).app(scope, receive, send)

    def full_match(self, scope: Scope, route_path: str) -> FullMatch | None:
        """The route an HTTP request fully matches first, as `Router.app` finds it (a partial match
        before it does not count there either), or None: then routing answers (404, 405, redirect)
        or the first match is not a plain route."""
        narrowed = self._narrowed_for(route_path)
        for route in narrowed.routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                if not isinstance(route, Route):  # a Mount, say: routing goes on inside it
                    return None
                # Only the route's own parameters: what the scope already held is merged per request.
                own = route.param_convertors
                params = {name: value for name, value in child_scope["path_params"].items() if name in own}
                return FullMatch(narrowed, route, params)
        return None

    def _narrowed_for(self, route_path: str) -> Router:
        if self._built_for != (len(self.routes), self.default):
            # Connexion adds routes and chains APIs (through `default`) while it loads.
            self._narrowed.clear()
            self._built_for = (len(self.routes), self.default)
        key = tuple(route_path.split("/", DEPTH + 1)[1 : DEPTH + 1])
        narrowed = self._narrowed.get(key)
        if narrowed is None:
            narrowed = self._narrow(key)
        return narrowed

    def _narrow(self, key: Key) -> Router:
        routes = [route for route in self.routes if can_match(literal_prefix(route), key)]
        narrowed = Router(routes=routes, redirect_slashes=False, default=self._full)
        if sum(map(len, key)) <= KEY_LIMIT:
            self._narrowed.put(key, narrowed)
        return narrowed

    async def _full(self, scope: Scope, receive: Receive, send: Send) -> None:
        await Router.app(self, scope, receive, send)
