"""Scalingo auth: Basic with the API token, the token exchange, and the bearer JWT it gives."""

from __future__ import annotations

import base64
from typing import Any

import jwt
import pytest
from starlette.testclient import TestClient

from tests.handlers.scalingo._support import DEMO, DEMO_USER_ID, DOC_ALERT, parse_time

EXCHANGE = "/v1/tokens/exchange"
ALERTS = "/v1/apps/example-app/alerts"


def _exchange(client: TestClient, auth: tuple[str, str] = DEMO) -> str:
    response = client.post(EXCHANGE, auth=auth)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"token"}
    return response.json()["token"]  # type: ignore[no-any-return]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_exchange_answers_a_jwt_for_the_token_owner_with_an_exp(client: TestClient) -> None:
    claims = jwt.decode(_exchange(client), options={"verify_signature": False})
    assert claims["sub"] == DEMO_USER_ID
    # Issued on the mock's clock (2026-06-10T07:08:13Z at test start), valid one hour by default.
    assert abs(claims["iat"] - parse_time("2026-06-10T07:08:13Z").timestamp()) < 60
    assert claims["exp"] - claims["iat"] == 3600


def test_the_whole_alert_lifecycle_works_with_the_exchanged_bearer_token(client: TestClient) -> None:
    headers = _bearer(_exchange(client))
    created = client.post(
        ALERTS, headers=headers, json={"alert": {"container_type": "web", "limit": 1, "metric": "cpu"}}
    )
    assert created.status_code == 201
    url = f"{ALERTS}/{created.json()['alert']['id']}"
    assert client.get(ALERTS, headers=headers).status_code == 200
    assert client.get(url, headers=headers).json() == created.json()
    assert client.patch(url, headers=headers, json={"limit": 2}).json()["alert"]["limit"] == 2
    assert client.put(url, headers=headers, json={"alert": {"limit": 3}}).json()["alert"]["limit"] == 3
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_the_api_token_itself_is_accepted_as_a_bearer_token(client: TestClient) -> None:
    assert client.get(f"{ALERTS}/{DOC_ALERT}", headers=_bearer("tk-us-demo-token")).status_code == 200


def test_the_basic_user_part_is_ignored(client: TestClient) -> None:
    assert client.get(ALERTS, auth=("anything", "tk-us-demo-token")).status_code == 200


def test_a_bearer_token_is_accepted_until_its_exp_on_the_mocks_clock(client_factory: Any) -> None:
    client = client_factory(clock="2026-06-10T07:08:13Z", settings={"scalingo.token_ttl_seconds": 600})
    headers = _bearer(_exchange(client))
    client.post("/__mock/clock", json={"advance_seconds": 599})
    assert client.get(ALERTS, headers=headers).status_code == 200
    client.post("/__mock/clock", json={"advance_seconds": 1})
    expired = client.get(ALERTS, headers=headers)
    assert expired.status_code == 401
    assert set(expired.json()) == {"error"}
    # Exchanging again gives a token valid from now.
    assert client.get(ALERTS, headers=_bearer(_exchange(client))).status_code == 200


def _forged(token: str) -> str:
    header, _payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["sub"] = "us-8e2f4c1a-7b3d-4a5e-9c6f-0d1e2f3a4b5c"
    forged_payload = jwt.encode(claims, "wrong-secret-that-is-at-least-32-bytes-long", algorithm="HS256").split(".")[1]
    return f"{header}.{forged_payload}.{signature}"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(b":tk-unknown").decode()},
        {"Authorization": "Basic " + base64.b64encode(b":").decode()},
        {"Authorization": "Bearer tk-unknown"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Token tk-us-demo-token"},
    ],
    ids=["none", "unknown-basic", "empty-basic", "unknown-bearer", "garbage-jwt", "other-scheme"],
)
def test_missing_or_unknown_credentials_are_401(client: TestClient, headers: dict[str, str]) -> None:
    for response in (client.get(ALERTS, headers=headers), client.delete(f"{ALERTS}/{DOC_ALERT}", headers=headers)):
        assert response.status_code == 401
        assert set(response.json()) == {"error"} and response.json()["error"]
    assert client.get(f"{ALERTS}/{DOC_ALERT}", auth=DEMO).status_code == 200  # the delete did not happen


def test_a_tampered_jwt_is_401(client: TestClient) -> None:
    response = client.get(ALERTS, headers=_bearer(_forged(_exchange(client))))
    assert response.status_code == 401


def test_exchange_needs_basic_credentials(client: TestClient) -> None:
    assert client.post(EXCHANGE).status_code == 401
    assert client.post(EXCHANGE, auth=("", "tk-unknown")).status_code == 401
    # A bearer token cannot be exchanged for another one.
    response = client.post(EXCHANGE, headers=_bearer(_exchange(client)))
    assert response.status_code == 401
    assert set(response.json()) == {"error"}
