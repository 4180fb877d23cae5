from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.handlers.tableau._support import ALERT, BASE, DOC_AUTH, SITE, error_of, validate, xml_response

ALERTS = f"{BASE}/{SITE}/dataAlerts"


def test_errors_are_tableau_xml_by_default(client: TestClient) -> None:
    response = client.get(f"{ALERTS}/00000000-0000-4000-8000-000000000000", headers=DOC_AUTH)
    assert response.status_code == 404
    error = xml_response(response)
    assert error == {
        "error": {
            "code": "409023",
            "summary": "Resource Not Found",
            "detail": "The data-driven alert ID specified in the URI is invalid: '00000000-0000-4000-8000-000000000000'.",
        }
    }
    validate(error, "TsError")


def test_errors_in_json_when_asked(client: TestClient) -> None:
    response = client.get(ALERTS, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "summary": "Unauthorized Access",
            "detail": "No authentication credentials were provided.",
            "code": "401000",
        }
    }


def test_unknown_token_is_401002(client: TestClient) -> None:
    assert error_of(client.get(ALERTS, headers={"X-Tableau-Auth": "made-up"})) == (401, "401002")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", ALERTS, {"GET"}),
        ("PATCH", f"{ALERTS}/{ALERT}", {"GET", "PUT", "DELETE"}),
        ("GET", f"{ALERTS}/{ALERT}/users", {"POST"}),
    ],
)
def test_wrong_method_is_405000_with_allow(client: TestClient, method: str, path: str, allow: set[str]) -> None:
    response = client.request(method, path, headers=DOC_AUTH)
    assert error_of(response) == (405, "405000")
    assert {m.strip() for m in response.headers["allow"].split(",")} == allow


def test_unservable_accept_is_406_in_xml(client: TestClient) -> None:
    response = client.get(ALERTS, headers={**DOC_AUTH, "Accept": "text/html"})
    assert error_of(response) == (406, "406000")


def test_text_xml_accept_is_served_xml(client: TestClient) -> None:
    response = client.get(ALERTS, headers={**DOC_AUTH, "Accept": "text/xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "dataAlerts" in xml_response(response, media_type="text/xml")


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<tsRequest><user id="&lol2;"/></tsRequest>',
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><tsRequest><user id="&e;"/></tsRequest>',
        b"<tsRequest><user id='x'></tsRequest>",
        b"{not json",
    ],
)
def test_xml_bombs_and_malformed_bodies_are_400000(client: TestClient, body: bytes) -> None:
    response = client.post(f"{ALERTS}/{ALERT}/users", content=body, headers=DOC_AUTH)
    assert error_of(response) == (400, "400000")


def test_unknown_route_under_tableau_is_404003(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE}/dataAlertz", headers=DOC_AUTH)
    assert error_of(response) == (404, "404003")


def test_body_over_the_limit_is_a_tableau_error(client_factory) -> None:  # type: ignore[no-untyped-def]
    client = client_factory(max_body_bytes=64)
    response = client.post(
        f"{ALERTS}/{ALERT}/users",
        content=b"<tsRequest>" + b" " * 100 + b"</tsRequest>",
        headers={**DOC_AUTH, "Content-Type": "application/xml"},
    )
    assert error_of(response) == (413, "413000")
