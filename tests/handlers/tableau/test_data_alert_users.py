from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.handlers.tableau._support import (
    ADMIN,
    ALERT,
    ALERT_C60,
    ALERT_PROFIT,
    ALERT_SALES,
    BASE,
    DOC_AUTH,
    JSON,
    RECIPIENT,
    SITE,
    SITE2,
    VIEWER,
    error_of,
    read_xml,
    sign_in,
    validate,
    xml_response,
)

DOC_ADD_BODY = b"""<tsRequest>
  <user id="8eda27d9-5ad2-42cd-a39a-61bc01a423af"/>
</tsRequest>"""

# The document's example response, with its misspelt closing tag `</tsresponse>` corrected
# (x-doc-discrepancy: as printed it is not well-formed XML).
DOC_ADD_RESPONSE = """<tsResponse>
  <user id="8eda27d9-5ad2-42cd-a39a-61bc01a423af"
        name="admin"
        siteRole="ServerAdministrator"
        externalAuthUserId=""/>
</tsResponse>"""

CURL = {"Content-Type": "application/x-www-form-urlencoded"}


def _recipients(client: TestClient, site: str, alert: str) -> list[str]:
    response = client.get(f"{BASE}/{site}/dataAlerts/{alert}", headers={**DOC_AUTH, **JSON})
    return [r["id"] for r in response.json()["dataAlert"]["recipients"].get("recipient", [])]


def test_doc_add_user_example_answers_the_documented_user(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/{ALERT}/users"
    response = client.post(url, content=DOC_ADD_BODY, headers={**DOC_AUTH, **CURL})
    assert response.status_code == 200
    assert xml_response(response) == read_xml(DOC_ADD_RESPONSE)
    validate(xml_response(response), "UserResponse")
    assert _recipients(client, SITE, ALERT) == [RECIPIENT, ADMIN]


def test_adding_twice_does_not_duplicate(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/{ALERT}/users"
    for _ in range(2):
        response = client.post(url, json={"user": {"id": RECIPIENT}}, headers={**DOC_AUTH, **JSON})
        assert response.status_code == 200
        assert response.json() == {
            "user": {"id": RECIPIENT, "name": "recipient", "siteRole": "Viewer", "externalAuthUserId": ""}
        }
    assert _recipients(client, SITE, ALERT) == [RECIPIENT]


def test_doc_delete_user_example_removes_the_recipient(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/{ALERT}/users/{RECIPIENT}"
    response = client.delete(url, headers=DOC_AUTH)
    assert response.status_code == 204
    assert response.content == b""
    assert _recipients(client, SITE, ALERT) == []
    assert error_of(client.delete(url, headers=DOC_AUTH)) == (404, "404002")


@pytest.mark.parametrize(
    ("user", "alert", "target", "expected"),
    [
        ("alertowner", ALERT_PROFIT, VIEWER, 200),  # owner
        ("siteadmin", ALERT_PROFIT, VIEWER, 200),  # site administrator
        ("viewer", ALERT_C60, VIEWER, 200),  # anyone may add themselves to a public alert
        ("viewer", ALERT_C60, RECIPIENT, (403, "409028")),  # ...but nobody else
        ("recipient", ALERT_PROFIT, VIEWER, (403, "409028")),  # a recipient is not the owner
        ("viewer", ALERT_SALES, VIEWER, (403, "403004")),  # cannot even see it
    ],
)
def test_add_user_permissions(client: TestClient, user: str, alert: str, target: str, expected: object) -> None:
    response = client.post(
        f"{BASE}/{SITE2}/dataAlerts/{alert}/users", json={"user": {"id": target}}, headers=sign_in(client, user)
    )
    assert (response.status_code if expected == 200 else error_of(response)) == expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("alertowner", 204),
        ("admin", 204),
        ("recipient", (403, "409029")),  # sees the alert but does not own it
    ],
)
def test_delete_user_permissions(client: TestClient, user: str, expected: object) -> None:
    response = client.delete(
        f"{BASE}/{SITE2}/dataAlerts/{ALERT_PROFIT}/users/{RECIPIENT}", headers=sign_in(client, user)
    )
    assert (response.status_code if expected == 204 else error_of(response)) == expected


def test_delete_user_by_a_stranger_is_403004(client: TestClient) -> None:
    response = client.delete(
        f"{BASE}/{SITE2}/dataAlerts/{ALERT_SALES}/users/{VIEWER}", headers=sign_in(client, "viewer")
    )
    assert error_of(response) == (403, "403004")


def test_add_unknown_user_is_404002(client: TestClient) -> None:
    body = {"user": {"id": "00000000-0000-4000-8000-000000000000"}}
    response = client.post(f"{BASE}/{SITE}/dataAlerts/{ALERT}/users", json=body, headers={**DOC_AUTH, **JSON})
    assert error_of(response) == (404, "404002")
    assert response.json()["error"]["summary"] == "Resource Not Found"


def test_add_user_to_unknown_alert_is_409023(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/00000000-0000-4000-8000-000000000000/users"
    assert error_of(client.post(url, json={"user": {"id": ADMIN}}, headers=DOC_AUTH)) == (404, "409023")


def test_add_user_with_a_bad_body_is_400000(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/{ALERT}/users"
    assert error_of(client.post(url, json={"user": {}}, headers=DOC_AUTH)) == (400, "400000")
    assert error_of(client.post(url, content=b"<tsRequest><user", headers=DOC_AUTH)) == (400, "400000")
