"""`Prefer` as RFC 7240 writes it, on a real vendor operation (Scalingo's alert list).

Each row: the `Prefer` header(s) sent, the status answered, what `Preference-Applied` names (the
preferences honoured) and what `Alertmock-Preferences-Ignored` names (those not understood).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app

LIST = "/v1/apps/example-app/alerts"
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
APP_NOT_FOUND = {"resource": "app", "error": "not found"}

# (Prefer headers, status, Preference-Applied, Alertmock-Preferences-Ignored, what the body must be)
ROWS: list[tuple[list[str], int, str | None, str | None, str]] = [
    (["dynamic"], 200, "dynamic=true", None, "generated"),
    (["dynamic=true"], 200, "dynamic=true", None, "generated"),
    (["DYNAMIC=TRUE"], 200, "dynamic=true", None, "generated"),
    (["dynamic=true;seed=7"], 200, "dynamic=true, seed=7", None, "seed 7"),
    (["dynamic = true ; seed = 7"], 200, "dynamic=true, seed=7", None, "seed 7"),
    (["dynamic=true, seed=7"], 200, "dynamic=true, seed=7", None, "seed 7"),
    (["dynamic", "seed=7"], 200, "dynamic=true, seed=7", None, "seed 7"),
    (['dynamic="true";seed="7"'], 200, "dynamic=true, seed=7", None, "seed 7"),
    (["code=404;example=app-not-found"], 404, "code=404, example=app-not-found", None, "app-not-found"),
    (["code=404, example=app-not-found"], 404, "code=404, example=app-not-found", None, "app-not-found"),
    (['code=404; example="app-not-found"'], 404, "code=404, example=app-not-found", None, "app-not-found"),
    (["code=404", "example=app-not-found"], 404, "code=404, example=app-not-found", None, "app-not-found"),
    (["example=app-not-found"], 404, "example=app-not-found", None, "app-not-found"),
    # RFC 7240 §2: of a preference sent twice, the first counts.
    (["code=404, code=200"], 404, "code=404", None, "vendor 404"),
    (["code=404"], 404, "code=404", None, "vendor 404"),
    (["delay=30"], 200, "delay=30", None, "fixtures"),
    (["delay=30, dynamic;seed=3"], 200, "delay=30, dynamic=true, seed=3", None, "generated"),
    # Preferences the mock does not know: ignored (the RFC's rule), and named.
    (["return=minimal"], 200, None, "return=minimal", "fixtures"),
    (["respond-async, wait=10"], 200, None, "respond-async, wait=10", "fixtures"),
    (['return=representation; charset="a,b"'], 200, None, 'return=representation; charset="a,b"', "fixtures"),
    (["respond-async, dynamic"], 200, "dynamic=true", "respond-async", "generated"),
    (["dynamic=true;foo=bar"], 200, "dynamic=true", "foo=bar", "generated"),
    (["dynamic=false"], 200, None, None, "fixtures"),
    (["handling=lenient, code=404"], 404, "code=404", "handling=lenient", "vendor 404"),
    # What the mock understands, with a value it cannot use: the vendor's 400, naming it.
    (["code=abc"], 400, None, None, "code takes an integer"),
    (["code"], 400, None, None, "code takes an integer"),
    (["code=404;example=app-not-found;seed=x"], 400, None, None, "seed takes an integer"),
    (["dynamic=maybe"], 400, None, None, "dynamic takes true or false"),
    (["example="], 400, None, None, "example takes the name"),
    (["code=404;example=nope"], 400, None, None, "its examples are app-not-found"),
    (["code=418"], 400, None, None, "it can answer"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Config(seed=1, clock="2026-06-10T07:08:13Z"))) as client:
        yield client


def _get(client: TestClient, prefer: list[str]) -> Any:
    return client.get(LIST, headers=[*SCALINGO.items(), *(("Prefer", value) for value in prefer)])


@pytest.fixture(scope="module")
def fixtures_answer(client: TestClient) -> Any:
    return client.get(LIST, headers=SCALINGO).json()


@pytest.mark.parametrize(("prefer", "status", "applied", "ignored", "body"), ROWS, ids=lambda v: str(v))
def test_prefer_as_rfc_7240_writes_it(
    client: TestClient,
    fixtures_answer: Any,
    prefer: list[str],
    status: int,
    applied: str | None,
    ignored: str | None,
    body: str,
) -> None:
    answer = _get(client, prefer)
    assert answer.status_code == status, answer.text
    assert answer.headers.get("preference-applied") == applied
    assert answer.headers.get("alertmock-preferences-ignored") == ignored
    if body == "fixtures":
        assert answer.json() == fixtures_answer
    elif body == "generated":
        assert answer.json() != fixtures_answer and "alerts" in answer.json()
    elif body == "seed 7":  # repeatable, and the same as the plainest spelling of it
        assert answer.json() == _get(client, ["dynamic=true, seed=7"]).json() != fixtures_answer
    elif body == "app-not-found":
        assert answer.json() == APP_NOT_FOUND
    elif body == "vendor 404":
        assert answer.json()["error"] == "not found"
    else:
        assert body in answer.text


def test_preferences_in_the_query_string_are_applied_too(client: TestClient) -> None:
    answer = client.get(f"{LIST}?__code=404&__example=app-not-found", headers=SCALINGO)
    assert answer.status_code == 404
    assert answer.headers["preference-applied"] == "code=404, example=app-not-found"


def test_a_preference_not_honoured_is_not_applied(client: TestClient) -> None:
    # Without credentials the 401 comes first: the 404 asked for was not what answered.
    answer = client.get(LIST, headers={"Prefer": "code=404"})
    assert answer.status_code == 401
    assert "preference-applied" not in answer.headers


def test_a_browser_on_another_origin_may_read_the_preference_headers(client: TestClient) -> None:
    answer = client.get(LIST, headers={**SCALINGO, "Prefer": "dynamic, return=minimal", "Origin": "http://app.test"})
    exposed = answer.headers["access-control-expose-headers"].lower()
    assert "preference-applied" in exposed and "alertmock-preferences-ignored" in exposed
