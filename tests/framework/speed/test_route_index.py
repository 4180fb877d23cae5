"""The indexed router finds exactly what Starlette's router finds, only trying fewer routes."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Mount, Route, Router
from starlette.testclient import TestClient

from alertmock.framework.speed.route_index import IndexedRouter, can_match, literal_prefix


def _endpoint(name: str):  # type: ignore[no-untyped-def]
    async def endpoint(request) -> PlainTextResponse:  # type: ignore[no-untyped-def]
        return PlainTextResponse(f"{name} {dict(request.path_params)}")

    return endpoint


def _routes() -> list:  # type: ignore[type-arg]
    # Spec order matters: the first match wins, parameter-first routes sit between literal ones.
    return [
        Route("/api/subscriptions/{id}", _endpoint("subscription"), methods=["GET"]),
        Route("/api/{version}/sites/{site}/dataAlerts", _endpoint("alerts"), methods=["GET"]),
        Route("/api/jobs/{id}", _endpoint("job"), methods=["GET", "DELETE"]),
        Route("/{anything}/apps", _endpoint("wild"), methods=["GET"]),
        Route("/v1/apps/{app}/alerts", _endpoint("scalingo"), methods=["POST"]),
        Route("/v1/apps/{app}/alerts/", _endpoint("slash"), methods=["GET"]),
        Mount("/static", routes=[Route("/{file:path}", _endpoint("static"))]),
    ]


def _client(router_cls: type[Router]) -> TestClient:
    router = router_cls(routes=_routes(), default=PlainTextResponse("default", status_code=404))
    return TestClient(Starlette(routes=[Mount("", app=router)]), follow_redirects=False)


PATHS = [
    ("GET", "/api/subscriptions/s1"),
    ("GET", "/api/3.12/sites/x/dataAlerts"),
    ("GET", "/api/jobs/sites"),  # literal route declared after a parameter one
    ("DELETE", "/api/jobs/j1"),
    ("POST", "/api/jobs/j1"),  # 405 from a partial match
    ("GET", "/v1/apps"),
    ("GET", "/v2/apps"),
    ("POST", "/v1/apps/a/alerts"),
    ("GET", "/v1/apps/a/alerts"),  # trailing-slash redirect
    ("GET", "/static/css/site.css"),
    ("GET", "/nowhere/at/all"),
    ("GET", "/"),
    ("GET", "/api"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_indexed_router_answers_as_the_plain_router(method: str, path: str) -> None:
    plain, indexed = _client(Router), _client(IndexedRouter)
    expected = plain.request(method, path)
    got = indexed.request(method, path)
    assert (got.status_code, got.text, got.headers.get("location")) == (
        expected.status_code,
        expected.text,
        expected.headers.get("location"),
    )


def test_a_path_only_tries_routes_its_leading_segments_allow() -> None:
    prefixes = [literal_prefix(route) for route in _routes()]
    assert prefixes == [
        ("api", "subscriptions"),
        ("api",),
        ("api", "jobs"),
        (),
        ("v1", "apps"),
        ("v1", "apps"),
        ("static",),
    ]
    key = ("v1", "apps")
    assert [p for p in prefixes if can_match(p, key)] == [(), ("v1", "apps"), ("v1", "apps")]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_a_full_match_is_the_route_the_plain_router_calls(method: str, path: str) -> None:
    routes = _routes()
    plain = Router(routes=routes)
    indexed = IndexedRouter(routes=routes)
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "path_params": {"outer": "kept"}}
    calls: list[tuple[Route, dict]] = []  # type: ignore[type-arg]
    for route in plain.routes:
        match, child_scope = route.matches(scope)
        if match is Match.FULL:
            calls.append((route, child_scope["path_params"]))
            break
    found = indexed.full_match(scope, path)
    if not calls or not isinstance(calls[0][0], Route):
        assert found is None
        return
    route, params = calls[0]
    assert found is not None and found.route is route
    # Only the route's own parameters: the scope's are merged per request.
    assert {**scope["path_params"], **found.params} == params
    assert "outer" not in found.params
