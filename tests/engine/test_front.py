"""The front layer's short way (a request without ``Origin``) answers what its layers, stacked, answer."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.layers.front import Front

from .conftest import APP_DIR, KEY

FAULTS = "/__mock/faults"


def _app(short_way: bool, **overrides: Any) -> TestClient:
    config = Config(spec=APP_DIR / "openapi.yaml", fixtures=APP_DIR / "fixtures", seed=7, clock="2026-01-01T00:00:00Z")
    app = create_app(config.with_overrides(**overrides))
    layers = app.middleware.middlewares
    (index,) = [i for i, m in enumerate(layers) if isinstance(m, partial) and m.func is Front]
    layers[index] = partial(layers[index], short_way=short_way)
    return TestClient(app, raise_server_exceptions=False)


# (method, path, request options); each list is one session's sequence, sent to both apps.
SEQUENCES: list[list[tuple[str, str, dict[str, Any]]]] = [
    [
        ("GET", "/w/items", {"headers": KEY}),
        ("POST", "/w/items", {"headers": KEY, "json": {"item": {"name": "a"}}}),
        ("POST", "/w/items", {"headers": KEY, "content": b'{"item": {"name": "curl"}}'}),  # curl's label, sniffed
        ("POST", "/w/items", {"headers": KEY, "content": b"{" + b" " * 2_000_000 + b"}"}),  # 413
        ("GET", "/w/items/missing", {"headers": KEY}),
        ("PATCH", "/w/items", {"headers": KEY}),  # 405 and its Allow
        ("GET", "/w/nowhere", {}),
        ("GET", "/w/items", {"headers": {**KEY, "Prefer": "code=abc"}}),
        ("GET", "/w/items", {"headers": {**KEY, "Prefer": "code=200, dynamic=true, seed=3"}}),
        ("GET", "/w/unbuilt", {"headers": KEY}),
        ("GET", "/__mock/requests?limit=0", {}),
        ("POST", "/__mock/clock", {"content": b'{"advance_seconds": 5}'}),
        ("GET", "/", {"follow_redirects": False}),
        ("GET", "/__mock/", {}),
        ("GET", "/__mock/static/nothing.js", {}),
        ("GET", "/ui/", {}),
        ("GET", "/openapi.json", {}),
        ("PUT", FAULTS, {"json": {"rules": [{"path": "/w/items/*", "error": {"rate": 1, "status": 503}}]}}),
        ("GET", "/w/items/w1", {"headers": KEY}),
        ("GET", "/", {"follow_redirects": False}),  # pages are never faulted
        ("PUT", FAULTS, {"json": {"rules": [{"drop": {"rate": 1}}]}}),
        ("GET", "/w/items", {"headers": KEY}),
        ("DELETE", FAULTS, {}),
        ("GET", "/__mock/requests", {}),  # the journal of all of the above
    ],
]


def _answer(client: TestClient, method: str, path: str, options: dict[str, Any]) -> tuple[Any, ...]:
    response = client.request(
        method, path, headers={"X-Mock-Session": "front", **options.pop("headers", {})}, **options
    )
    body: Any = response.content
    headers = response.headers.multi_items()
    if path == "/__mock/requests" and response.status_code == 200:
        # Durations differ, and with them the length of the journal's answer.
        body = json.loads(body)
        for entry in body["requests"]:
            entry.pop("duration_ms")
        headers = [(name, value) for name, value in headers if name != "content-length"]
    return response.status_code, headers, body


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_the_short_way_answers_as_the_layers_do(sequence: list[tuple[str, str, dict[str, Any]]]) -> None:
    short, layered = _app(short_way=True), _app(short_way=False)
    for method, path, options in sequence:
        got = _answer(short, method, path, dict(options))
        expected = _answer(layered, method, path, dict(options))
        assert got == expected, (method, path)
        assert ("vary", "Origin") in got[1], (method, path)


def test_an_origin_takes_the_layers(widgets) -> None:  # type: ignore[no-untyped-def]
    # Starlette's CORS layer answers it: the origin allowed, and the answer varying on Origin.
    response = widgets.get("/w/items", headers={**KEY, "Origin": "http://app.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["vary"] == "Origin"


@pytest.mark.parametrize("short_way", [True, False])
def test_an_exception_outside_the_operations_is_the_vendors_500_not_a_traceback(short_way: bool) -> None:
    client = _app(short_way)

    async def broken(name: str) -> None:
        raise RuntimeError("the store is gone")

    client.app.runtime.sessions.open = broken  # type: ignore[attr-defined]
    headers = {**KEY} if short_way else {**KEY, "Origin": "http://app.example"}
    response = client.get("/w/items", headers=headers)
    assert response.status_code == 500
    assert "the store is gone" not in response.text and "Traceback" not in response.text
    assert json.loads(response.text)
    if not short_way:
        assert response.headers["access-control-allow-origin"] == "*"
