"""Parsed parameters are shared within a request and remembered per query string, never mixed up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from connexion.lifecycle import ConnexionRequest
from starlette.testclient import TestClient

from alertmock import Config, create_app

DEMO = {"Authorization": "Bearer matatika-demo-token"}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The query strings Connexion actually parses."""
    seen: list[str] = []
    parse = ConnexionRequest.query_params.fget  # type: ignore[attr-defined]

    def counting(request: ConnexionRequest) -> object:
        seen.append(request.scope["query_string"].decode())
        return parse(request)

    monkeypatch.setattr(ConnexionRequest, "query_params", property(counting))
    yield seen


def test_each_query_string_is_parsed_once_and_answers_its_own_page(parses: list[str]) -> None:
    client = TestClient(create_app(Config(seed=1)))
    pages = {}
    for page in ("0", "1", "0", "1"):
        response = client.get(f"/api/subscriptions?size=1&page={page}", headers=DEMO)
        assert response.status_code == 200
        ids = [s["id"] for s in response.json()["_embedded"]["subscriptions"]]
        assert pages.setdefault(page, ids) == ids
    assert pages["0"] != pages["1"]
    # Validator and handler share one parse per request, and a repeated query string is not parsed again.
    assert parses == ["size=1&page=0", "size=1&page=1"]
