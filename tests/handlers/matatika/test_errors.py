"""Authentication and Matatika's error body (Spring Boot's shape) on every kind of error."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from ._support import DEMO, JSON

SUBSCRIPTION = "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba"


def _assert_spring_error(response: object, status: int, error: str, path: str) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    assert set(body) == {"timestamp", "status", "error", "message", "path"}
    assert (body["status"], body["error"], body["path"]) == (status, error, path)
    assert body["timestamp"].endswith("+00:00")
    return body


def test_no_token_is_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/subscriptions")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = _assert_spring_error(response, 401, "Unauthorized", "/api/subscriptions")
    assert body["message"] == "Full authentication is required to access this resource"


@pytest.mark.parametrize("authorization", ["Bearer made-up-token", "Basic bWF0YXRpa2E6cGFzcw==", "matatika-demo-token"])
def test_unknown_or_malformed_credentials_are_401(client: TestClient, authorization: str) -> None:
    response = client.get("/api/subscriptions", headers={"Authorization": authorization})

    assert response.status_code == 401
    _assert_spring_error(response, 401, "Unauthorized", "/api/subscriptions")


def test_an_unknown_token_gets_an_invalid_token_challenge(client: TestClient) -> None:
    response = client.get("/api/jobs/f8a00cdb-4c65-4668-9112-add1fa9d9b97", headers={"Authorization": "Bearer nope"})

    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.put(SUBSCRIPTION, headers={**DEMO, **JSON}, content=b'{"type": ')

    assert response.status_code == 400
    _assert_spring_error(response, 400, "Bad Request", SUBSCRIPTION)


def test_a_non_json_body_is_415(client: TestClient) -> None:
    response = client.put(
        SUBSCRIPTION, headers={**DEMO, "Content-Type": "application/xml"}, content=b"<type>ALERTS</type>"
    )

    assert response.status_code == 415
    _assert_spring_error(response, 415, "Unsupported Media Type", SUBSCRIPTION)


def test_an_unknown_route_under_api_is_404_in_matatika_format(client: TestClient) -> None:
    response = client.get("/api/nothing-here", headers=DEMO)

    assert response.status_code == 404
    _assert_spring_error(response, 404, "Not Found", "/api/nothing-here")


def test_a_method_the_path_lacks_is_405_with_allow(client: TestClient) -> None:
    response = client.post(SUBSCRIPTION, headers={**DEMO, **JSON})

    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "PUT", "DELETE"}
    _assert_spring_error(response, 405, "Method Not Allowed", SUBSCRIPTION)


def test_an_unacceptable_accept_is_406(client: TestClient) -> None:
    response = client.get(SUBSCRIPTION, headers={**DEMO, "Accept": "application/xml"})

    assert response.status_code == 406
    _assert_spring_error(response, 406, "Not Acceptable", SUBSCRIPTION)


def test_links_follow_the_forwarded_host(client: TestClient) -> None:
    headers = {**DEMO, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "mock.example.com"}

    body = client.get(SUBSCRIPTION, headers=headers).json()

    assert body["_links"]["self"]["href"] == f"https://mock.example.com{SUBSCRIPTION}"
