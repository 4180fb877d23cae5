"""Parsed parameters and JSON bodies are shared within a request, queries remembered per string, never mixed up."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from connexion.lifecycle import ConnexionRequest
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.framework import validators as validation
from alertmock.framework.speed import planned_app

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


def test_a_json_body_is_parsed_once_and_the_handler_gets_what_was_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[bytes | str] = []

    class CountingOrjson:
        JSONDecodeError = orjson.JSONDecodeError

        @staticmethod
        def loads(raw: bytes | str) -> object:
            parsed.append(raw)
            return orjson.loads(raw)

    # Both readers of a JSON body: the validator (validation.py) and the handler's arguments.
    monkeypatch.setattr(validation, "orjson", CountingOrjson)
    monkeypatch.setattr(planned_app, "orjson", CountingOrjson)
    client = TestClient(create_app(Config(seed=1)))
    created = client.post(
        "/v1/apps/5ab1128fdccb8b0001111963/alerts",
        json={"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": 1234}},
        headers={"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},
    )
    assert created.status_code == 201, created.text
    assert created.json()["alert"]["limit"] == 1234  # the handler stored what was sent
    assert len(parsed) == 1


def test_a_scoped_request_starts_as_connexions_does() -> None:
    # ScopedRequest copies ConnexionRequest.__init__ (minus a raised AttributeError): a Connexion
    # that gives its requests another attribute must be copied again.
    from alertmock.framework.speed.parsed_request import ScopedRequest

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"authorization", b"Bearer x")]}
    ours, theirs = ScopedRequest(scope, uri_parser="parser"), ConnexionRequest(scope, uri_parser="parser")
    assert vars(ours).keys() == vars(theirs).keys()
    assert {k: v for k, v in vars(ours).items() if k != "_starlette_request"} == {
        k: v for k, v in vars(theirs).items() if k != "_starlette_request"
    }
    assert ours.scope is scope and ours.headers["Authorization"] == theirs.headers["Authorization"]
