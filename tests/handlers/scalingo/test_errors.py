"""Scalingo's error bodies for everything a client can get wrong on an alert request."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.handlers.scalingo._support import CURL_HEADERS, DEMO, DOC_ALERT

ALERTS = "/v1/apps/example-app/alerts"
DOC_ALERT_URL = f"{ALERTS}/{DOC_ALERT}"
VALID = {"container_type": "web", "limit": 0.8, "metric": "memory"}


def _errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"errors"}
    assert all(isinstance(m, list) and m and all(isinstance(s, str) for s in m) for m in body["errors"].values())
    return body["errors"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("missing", ["container_type", "limit", "metric"])
def test_create_without_a_required_attribute_is_422_naming_it(client: TestClient, missing: str) -> None:
    alert = {k: v for k, v in VALID.items() if k != missing}
    response = client.post(ALERTS, auth=DEMO, headers=CURL_HEADERS, json={"alert": alert})
    assert list(_errors(response)) == [missing]
    assert client.get(ALERTS, auth=DEMO).json()["alerts"][-1]["id"] == DOC_ALERT  # nothing created


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("limit", "high"),
        ("limit", None),
        ("container_type", None),
        ("container_type", 3),
        ("metric", ""),
        ("send_when_below", "yes"),
        ("disabled", 1),
        ("notifiers", "5a69b83117b2cc001d9f2745"),
        ("metadata", ["recipient"]),
        ("duration_before_trigger", "3 minutes"),
        ("duration_before_trigger", -1),
        ("duration_before_trigger", 1.5),
        ("duration_before_trigger", 2**63),
        ("remind_every", "5x"),
    ],
)
def test_a_wrong_typed_attribute_is_422_naming_it(client: TestClient, attribute: str, value: Any) -> None:
    created = client.post(ALERTS, auth=DEMO, json={"alert": {**VALID, attribute: value}})
    assert list(_errors(created)) == [attribute]
    # The same name whether the update is wrapped (document, scalingo.js) or not (go-scalingo).
    assert list(_errors(client.patch(DOC_ALERT_URL, auth=DEMO, json={"alert": {attribute: value}}))) == [attribute]
    assert list(_errors(client.put(DOC_ALERT_URL, auth=DEMO, json={attribute: value}))) == [attribute]


def test_a_duration_beyond_gos_range_is_422(client: TestClient) -> None:
    response = client.post(ALERTS, auth=DEMO, json={"alert": {**VALID, "remind_every": "3000000h"}})
    assert list(_errors(response)) == ["remind_every"]


def test_a_limit_no_float64_can_hold_is_a_400_error(client: TestClient) -> None:
    response = client.post(ALERTS, auth=DEMO, json={"alert": {**VALID, "limit": 10**400}})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Malformed JSON")


def test_create_without_the_alert_wrapper_is_422(client: TestClient) -> None:
    assert list(_errors(client.post(ALERTS, auth=DEMO, json=VALID))) == ["alert"]


@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_malformed_json_is_400_with_an_error_message(client: TestClient, method: str) -> None:
    url = ALERTS if method == "post" else DOC_ALERT_URL
    response = client.request(method, url, auth=DEMO, headers=CURL_HEADERS, content=b'{"alert": {"limit": ')
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and body["error"]


def test_a_body_that_is_not_json_is_415(client: TestClient) -> None:
    response = client.post(ALERTS, auth=DEMO, headers={"Content-Type": "text/plain"}, content=b"limit=1")
    assert response.status_code == 415
    assert set(response.json()) == {"error"}


def test_an_accept_header_without_json_is_406_and_changes_nothing(client: TestClient) -> None:
    xml = {"Accept": "application/xml"}
    before = client.get(ALERTS, auth=DEMO).json()
    for response in (
        client.get(DOC_ALERT_URL, auth=DEMO, headers=xml),
        client.post(ALERTS, auth=DEMO, headers=xml, json={"alert": VALID}),
        client.patch(DOC_ALERT_URL, auth=DEMO, headers=xml, json={"limit": 5}),
    ):
        assert response.status_code == 406
        assert set(response.json()) == {"error"}
    assert client.get(ALERTS, auth=DEMO).json() == before


def test_an_unsupported_method_is_405_with_allow(client: TestClient) -> None:
    response = client.post(DOC_ALERT_URL, auth=DEMO, json={"alert": VALID})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "PUT", "DELETE"}
    assert set(response.json()) == {"error"}


def test_an_unknown_path_under_v1_answers_in_scalingos_format(client: TestClient) -> None:
    response = client.get("/v1/apps/example-app/nothing-here", auth=DEMO)
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
