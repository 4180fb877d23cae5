"""No vendor renderer can turn an error into a 500: the engine falls back to its own problem details."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.engine.app import handlers
from tests.engine.conftest import KEY


def _broken_renderer(request: Any, error: Any) -> Any:
    raise RuntimeError("a bug in the vendor's renderer")


@pytest.mark.parametrize(
    ("renderer", "method", "path", "status"),
    [
        (_broken_renderer, "GET", "/w/items/nope", 404),  # a handler's error
        (_broken_renderer, "GET", "/w/unknown", 404),  # Starlette's, no operation
        (_broken_renderer, "GET", "/w/items", 401),  # Connexion's security
        (lambda request, error: {"not": "a response"}, "GET", "/w/items/nope", 404),
    ],
)
def test_a_failing_renderer_still_gives_a_clean_problem_answer(
    widgets: TestClient, monkeypatch: pytest.MonkeyPatch, renderer: Any, method: str, path: str, status: int
) -> None:
    monkeypatch.setattr(handlers, "render", renderer)
    answer = widgets.request(method, path, headers=KEY if status != 401 else {})
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status
    assert body["detail"]


def test_a_working_renderer_is_used(widgets: TestClient) -> None:
    assert "widget_error" in widgets.get("/w/items/nope", headers=KEY).json()
