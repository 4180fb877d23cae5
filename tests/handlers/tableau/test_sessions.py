from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.handlers.tableau._support import (
    ADMIN,
    BASE,
    JSON,
    RECIPIENT,
    SITE,
    SITE2,
    error_of,
    validate,
    xml_response,
)


def test_sign_in_as_admin_in_xml_on_the_default_site(client: TestClient) -> None:
    body = b'<tsRequest><credentials name="admin" password="admin"><site contentUrl="" /></credentials></tsRequest>'
    response = client.post("/api/2.4/auth/signin", content=body, headers={"Content-Type": "application/xml"})
    assert response.status_code == 200
    data = xml_response(response)
    credentials = data["credentials"]
    assert credentials["site"] == {"id": SITE, "contentUrl": ""}
    assert credentials["user"] == {"id": ADMIN}
    validate(data, "SignInResponse")
    token = credentials["token"]
    listed = client.get(f"{BASE}/{SITE}/dataAlerts", headers={"X-Tableau-Auth": token})
    assert listed.status_code == 200


def test_sign_in_in_json_with_a_personal_access_token(client: TestClient) -> None:
    body = {
        "credentials": {
            "personalAccessTokenName": "alertmock-admin",
            "personalAccessTokenSecret": "alertmock-admin-secret",
            "site": {"contentUrl": "marketing"},
        }
    }
    response = client.post("/api/3.12/auth/signin", json=body, headers=JSON)
    assert response.status_code == 200
    credentials = response.json()["credentials"]
    assert credentials["site"] == {"id": SITE2, "contentUrl": "marketing"}
    assert credentials["user"] == {"id": ADMIN}


def test_curl_style_xml_body_is_accepted(client: TestClient) -> None:
    body = b'<tsRequest><credentials name="recipient" password="recipient"><site contentUrl="" /></credentials></tsRequest>'
    response = client.post(
        "/api/3.12/auth/signin", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 200
    assert xml_response(response)["credentials"]["user"]["id"] == RECIPIENT


@pytest.mark.parametrize(
    "credentials",
    [
        {"name": "admin", "password": "wrong", "site": {"contentUrl": ""}},
        {"name": "nobody", "password": "nobody", "site": {"contentUrl": ""}},
        {"name": "admin", "password": "admin", "site": {"contentUrl": "no-such-site"}},
        {"personalAccessTokenName": "alertmock-admin", "personalAccessTokenSecret": "bad", "site": {"contentUrl": ""}},
    ],
)
def test_unknown_credentials_get_401001(client: TestClient, credentials: dict[str, object]) -> None:
    response = client.post("/api/3.12/auth/signin", json={"credentials": credentials})
    assert error_of(response) == (401, "401001")


def test_sign_in_without_credentials_is_a_bad_request(client: TestClient) -> None:
    response = client.post("/api/3.12/auth/signin", json={"credentials": {"site": {"contentUrl": ""}}}, headers=JSON)
    assert error_of(response) == (400, "400000")


def test_a_token_is_bound_to_its_site(client: TestClient) -> None:
    body = {"credentials": {"name": "admin", "password": "admin", "site": {"contentUrl": ""}}}
    token = client.post("/api/3.12/auth/signin", json=body, headers=JSON).json()["credentials"]["token"]
    response = client.get(f"{BASE}/{SITE2}/dataAlerts", headers={"X-Tableau-Auth": token})
    assert error_of(response) == (404, "404000")


def test_sign_out_invalidates_the_token(client: TestClient) -> None:
    body = {"credentials": {"name": "admin", "password": "admin", "site": {"contentUrl": ""}}}
    token = client.post("/api/3.12/auth/signin", json=body, headers=JSON).json()["credentials"]["token"]
    auth = {"X-Tableau-Auth": token}
    signed_out = client.post("/api/3.12/auth/signout", headers=auth)
    assert signed_out.status_code == 204
    assert signed_out.content == b""
    assert error_of(client.get(f"{BASE}/{SITE}/dataAlerts", headers=auth)) == (401, "401002")


def test_sign_out_without_a_token_is_401000(client: TestClient) -> None:
    assert error_of(client.post("/api/3.12/auth/signout")) == (401, "401000")
