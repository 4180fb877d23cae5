"""Scalingo alerts: the document's curl examples against the mock, then the whole lifecycle."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config
from alertmock.contract.document import Contract
from handlers.scalingo import alerts
from tests.handlers.scalingo._support import (
    CURL_HEADERS,
    DEMO,
    DOC_ALERT,
    EXAMPLE_APP_ID,
    LISTED_ALERT,
    LISTED_APP_ID,
    NEW_ALERT_ID,
    OTHER,
    documented,
    parse_time,
    without,
)

ALERTS = "/v1/apps/example-app/alerts"
DOC_ALERT_URL = f"{ALERTS}/{DOC_ALERT}"


def _create(client: TestClient, alert: dict[str, Any], app: str = "example-app") -> dict[str, Any]:
    response = client.post(f"/v1/apps/{app}/alerts", auth=DEMO, headers=CURL_HEADERS, json={"alert": alert})
    assert response.status_code == 201, response.text
    return response.json()["alert"]  # type: ignore[no-any-return]


# --- the document's curl examples ---------------------------------------------------------------


def test_list_answers_the_documented_list_for_its_app(client: TestClient) -> None:
    # The document lists example-app but answers an alert of app 5af97be7…: that app holds it here.
    for app in ("example-app-2", LISTED_APP_ID):
        response = client.get(f"/v1/apps/{app}/alerts", auth=DEMO, headers=CURL_HEADERS)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == documented("list-alerts")


def test_list_of_example_app_lists_its_alert_like_the_list_answer(client: TestClient) -> None:
    response = client.get(ALERTS, auth=DEMO, headers=CURL_HEADERS)
    assert response.status_code == 200
    expected = documented("get-alert-response")["alert"]
    assert response.json() == {"alerts": [{**expected, "deleted_at": "0001-01-01T00:00:00Z"}]}


def test_get_answers_the_documented_alert(client: TestClient) -> None:
    response = client.get(DOC_ALERT_URL, auth=DEMO, headers=CURL_HEADERS)
    assert response.status_code == 200
    assert response.json() == documented("get-alert-response")


def test_the_app_may_be_named_by_its_id(client: TestClient) -> None:
    response = client.get(f"/v1/apps/{EXAMPLE_APP_ID}/alerts/{DOC_ALERT}", auth=DEMO)
    assert response.json() == documented("get-alert-response")


def test_create_answers_the_documented_alert_with_a_new_id_and_times(client: TestClient) -> None:
    request = documented("create-alert-request")
    response = client.post(ALERTS, auth=DEMO, headers=CURL_HEADERS, json=request)
    assert response.status_code == 201
    created = response.json()["alert"]
    expected = documented("create-alert-response")["alert"]
    # Modulo id and times; the mock also answers the notifiers the request set (x-doc-discrepancy).
    assert without(created, "id", "created_at", "updated_at") == {
        **without(expected, "id", "created_at", "updated_at"),
        "notifiers": request["alert"]["notifiers"],
    }
    assert NEW_ALERT_ID.match(created["id"])
    assert created["created_at"] == created["updated_at"]
    assert abs((parse_time(created["created_at"]) - parse_time("2026-06-10T07:08:13Z")).total_seconds()) < 60


def test_patch_answers_the_documented_update(client: TestClient) -> None:
    request = documented("update-alert-request")
    response = client.patch(DOC_ALERT_URL, auth=DEMO, headers=CURL_HEADERS, json=request)
    assert response.status_code == 200
    updated = response.json()["alert"]
    expected = documented("update-alert-response")["alert"]
    assert without(updated, "updated_at") == {
        **without(expected, "updated_at"),
        "notifiers": ["5a69b83117b2cc001d9f2745"],
    }
    assert type(updated["limit"]) is int  # 150, as Go prints a float64 150
    assert parse_time(updated["updated_at"]) > parse_time(expected["created_at"])


def test_delete_answers_204_then_the_alert_is_gone(client: TestClient) -> None:
    response = client.delete(DOC_ALERT_URL, auth=DEMO, headers=CURL_HEADERS)
    assert response.status_code == 204
    assert response.content == b""
    gone = {"resource": "alert", "error": "not found"}
    assert client.get(DOC_ALERT_URL, auth=DEMO).json() == gone
    assert client.get(DOC_ALERT_URL, auth=DEMO).status_code == 404
    second = client.delete(DOC_ALERT_URL, auth=DEMO)
    assert (second.status_code, second.json()) == (404, gone)
    assert client.patch(DOC_ALERT_URL, auth=DEMO, json={"limit": 1}).status_code == 404
    assert client.get(ALERTS, auth=DEMO).json() == {"alerts": []}


# --- lifecycle and attributes -------------------------------------------------------------------


def test_a_created_alert_is_listed_got_updated_and_deleted(client: TestClient) -> None:
    created = _create(client, {"container_type": "worker", "limit": 0.5, "metric": "cpu"})
    url = f"{ALERTS}/{created['id']}"
    assert created["app_id"] == EXAMPLE_APP_ID
    assert client.get(url, auth=DEMO).json() == {"alert": created}
    listed = client.get(ALERTS, auth=DEMO).json()["alerts"]
    assert [a["id"] for a in listed] == [DOC_ALERT, created["id"]]  # oldest first

    put = client.put(url, auth=DEMO, json={"alert": {"metric": "memory", "send_when_below": True}})
    assert put.status_code == 200
    assert put.json()["alert"] == {
        **created,
        "metric": "memory",
        "send_when_below": True,
        "updated_at": put.json()["alert"]["updated_at"],
    }
    assert client.get(url, auth=DEMO).json() == put.json()

    assert client.delete(url, auth=DEMO).status_code == 204
    assert [a["id"] for a in client.get(ALERTS, auth=DEMO).json()["alerts"]] == [DOC_ALERT]


def test_new_alerts_get_the_documented_defaults(client: TestClient) -> None:
    created = _create(client, {"container_type": "web", "limit": 1, "metric": "rpm_per_container"})
    assert created["disabled"] is False
    assert created["send_when_below"] is False
    assert created["metadata"] == {"recipient": "user"}
    # Empty optional attributes are left out, as in the document's create answer.
    assert not {"duration_before_trigger", "remind_every", "notifiers", "deleted_at"} & created.keys()


def test_a_stored_alert_keeps_the_contracts_order_whatever_the_clients(client: TestClient) -> None:
    # The session export shows records as stored: their keys must not follow the body's order.
    orders = []
    for alert in (
        {"container_type": "web", "limit": 1, "metric": "cpu", "notifiers": ["no-1"]},
        {"notifiers": ["no-1"], "metric": "cpu", "limit": 1, "container_type": "web"},
    ):
        created = _create(client, alert)
        stored = client.get("/__mock/state").json()["collections"]["scalingo.alerts"]
        orders.append(list(next(r for r in stored if r["id"] == created["id"])))
    assert orders[0] == orders[1]
    assert orders[0][:4] == ["id", "app_id", "created_at", "updated_at"]


def test_new_alerts_share_the_defaults_lists_and_dicts_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every new alert holds the same default `metadata` dict: nothing may change it in place, not
    # through one record for all of them, nor the contract's own default.
    operation = Contract(Config().spec).operations["handlers.scalingo.alerts.create_alert"]

    stored: list[dict[str, Any]] = []

    class State:
        async def put(self, kind: str, key: str, record: dict[str, Any]) -> None:
            stored.append(record)

    async def visible_app(app: str, user: str) -> dict[str, Any]:
        return {"id": "app-1"}

    defaults = operation.request_schema()["properties"]["alert"]["x-create-defaults"]
    monkeypatch.setattr(alerts, "current_operation", lambda: operation)
    monkeypatch.setattr(alerts, "current_state", State)
    monkeypatch.setattr(alerts, "_visible_app", visible_app)
    monkeypatch.setattr(alerts, "now", lambda: datetime(2026, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(alerts, "new_uuid", lambda: "u")
    monkeypatch.setattr(alerts, "respond", lambda body, status=200: None)
    for _ in range(2):
        asyncio.run(alerts.create_alert("app", {"alert": {"container_type": "web", "limit": 1, "metric": "cpu"}}, "us"))
    mutable = [name for name, value in defaults.items() if isinstance(value, dict | list)]
    assert mutable  # the contract has some: else this test checks nothing
    for name in mutable:
        assert stored[0][name] == stored[1][name] == defaults[name]
        assert stored[0][name] is not defaults[name]
        with pytest.raises(TypeError):
            stored[0][name].clear()


def test_updating_one_alerts_metadata_leaves_the_others_defaults(client: TestClient) -> None:
    first, second = (_create(client, {"container_type": "web", "limit": 1, "metric": "cpu"}) for _ in range(2))
    assert first["metadata"] == second["metadata"]
    patched = client.patch(
        f"{ALERTS}/{first['id']}", auth=DEMO, headers=CURL_HEADERS, json={"alert": {"metadata": {"recipient": "team"}}}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["alert"]["metadata"] == {"recipient": "team"}
    assert (
        client.get(f"{ALERTS}/{second['id']}", auth=DEMO, headers=CURL_HEADERS).json()["alert"]["metadata"]
        == second["metadata"]
    )
    fresh = _create(client, {"container_type": "web", "limit": 1, "metric": "cpu"})
    assert fresh["metadata"] == second["metadata"]


def test_every_optional_attribute_can_be_set_at_creation(client: TestClient) -> None:
    created = _create(
        client,
        {
            "container_type": "web",
            "limit": 60,
            "metric": "p95_response_time",
            "notifiers": ["no-6d5a1648-3a2d-43ec-a526-12c20ae757d2"],
            "send_when_below": True,
            "duration_before_trigger": "3m0s",
            "remind_every": "5m30s",
            "disabled": True,
            "metadata": {"recipient": "team", "threshold": 2.0},
        },
    )
    assert without(created, "id", "app_id", "created_at", "updated_at") == {
        "container_type": "web",
        "disabled": True,
        "metric": "p95_response_time",
        "limit": 60,
        "send_when_below": True,
        "duration_before_trigger": "3m0s",
        "remind_every": "5m30s",
        "metadata": {"recipient": "team", "threshold": 2},
        "notifiers": ["no-6d5a1648-3a2d-43ec-a526-12c20ae757d2"],
    }


@pytest.mark.parametrize(
    ("given", "answered"),
    [
        (180_000_000_000, "3m0s"),  # integer nanoseconds, as the document's text and go-scalingo say
        ("3m0s", "3m0s"),  # Go duration strings, as the document's answers show
        ("5m30s", "5m30s"),
        ("1h30m", "1h30m0s"),
        ("90s", "1m30s"),
        ("1.5s", "1.5s"),
        (1_500_000, "1.5ms"),
        (3_600_000_000_000, "1h0m0s"),
    ],
)
def test_durations_are_accepted_in_both_styles_and_answered_as_go_prints_them(
    client: TestClient, given: int | str, answered: str
) -> None:
    created = _create(
        client,
        {"container_type": "web", "limit": 1, "metric": "cpu", "duration_before_trigger": given, "remind_every": given},
    )
    assert created["duration_before_trigger"] == answered
    assert created["remind_every"] == answered
    assert client.get(f"{ALERTS}/{created['id']}", auth=DEMO).json()["alert"]["remind_every"] == answered


@pytest.mark.parametrize("zero", [0, "0", "0s", ""])
def test_a_zero_duration_clears_it(client: TestClient, zero: int | str) -> None:
    listed = client.get("/v1/apps/example-app-2/alerts", auth=DEMO).json()["alerts"][0]
    assert listed["duration_before_trigger"] == "3m0s"
    url = f"/v1/apps/example-app-2/alerts/{LISTED_ALERT}"
    response = client.patch(url, auth=DEMO, json={"duration_before_trigger": zero})
    assert response.status_code == 200
    assert "duration_before_trigger" not in response.json()["alert"]


def test_what_the_go_client_sends_to_create_is_accepted(client: TestClient) -> None:
    # go-scalingo's AlertAdd marshals its whole Alert struct: an empty id and remind_every included.
    body = {
        "alert": {
            "id": "",
            "container_type": "web",
            "metric": "cpu",
            "limit": 0.5,
            "remind_every": "",
            "disabled": False,
            "send_when_below": False,
        }
    }
    response = client.post(ALERTS, auth=DEMO, json=body)
    assert response.status_code == 201
    created = response.json()["alert"]
    assert NEW_ALERT_ID.match(created["id"])
    assert "remind_every" not in created


def test_patch_accepts_the_go_clients_unwrapped_body_with_nanoseconds(client: TestClient) -> None:
    before = client.get(DOC_ALERT_URL, auth=DEMO).json()["alert"]
    response = client.patch(DOC_ALERT_URL, auth=DEMO, json={"disabled": True, "remind_every": 330_000_000_000})
    assert response.status_code == 200
    after = response.json()["alert"]
    assert after == {**before, "disabled": True, "remind_every": "5m30s", "updated_at": after["updated_at"]}


@pytest.mark.parametrize("method", ["patch", "put"])
def test_updates_are_partial_and_accept_both_body_styles(client: TestClient, method: str) -> None:
    before = client.get(DOC_ALERT_URL, auth=DEMO).json()["alert"]
    wrapped = client.request(method, DOC_ALERT_URL, auth=DEMO, json={"alert": {"container_type": "clock"}})
    assert wrapped.json()["alert"] == {
        **before,
        "container_type": "clock",
        "updated_at": wrapped.json()["alert"]["updated_at"],
    }
    bare = client.request(method, DOC_ALERT_URL, auth=DEMO, json={"limit": 0.25})
    assert bare.json()["alert"] == {
        **wrapped.json()["alert"],
        "limit": 0.25,
        "updated_at": bare.json()["alert"]["updated_at"],
    }


def test_a_wrapped_update_ignores_attributes_outside_the_wrapper(client: TestClient) -> None:
    response = client.patch(DOC_ALERT_URL, auth=DEMO, json={"alert": {"limit": 2}, "metric": "cpu"})
    assert response.json()["alert"]["limit"] == 2
    assert response.json()["alert"]["metric"] == "memory"


def test_updated_at_moves_and_created_at_does_not(client_factory: Any) -> None:
    client = client_factory(clock="2026-06-10T07:08:13Z")  # frozen: only the control API moves it
    created = _create(client, {"container_type": "web", "limit": 1, "metric": "cpu"})
    assert created["created_at"] == "2026-06-10T07:08:13Z"
    client.post("/__mock/clock", json={"advance_seconds": 90.5})
    updated = client.patch(f"{ALERTS}/{created['id']}", auth=DEMO, json={"limit": 2}).json()["alert"]
    assert updated["created_at"] == "2026-06-10T07:08:13Z"
    assert updated["updated_at"] == "2026-06-10T07:09:43.5Z"


# --- apps and ownership -------------------------------------------------------------------------


def test_an_unknown_app_is_not_found(client: TestClient) -> None:
    for response in (
        client.get("/v1/apps/no-such-app/alerts", auth=DEMO),
        client.post(
            "/v1/apps/no-such-app/alerts",
            auth=DEMO,
            json={"alert": {"container_type": "web", "limit": 1, "metric": "cpu"}},
        ),
        client.get(f"/v1/apps/no-such-app/alerts/{DOC_ALERT}", auth=DEMO),
        client.delete(f"/v1/apps/no-such-app/alerts/{DOC_ALERT}", auth=DEMO),
    ):
        assert (response.status_code, response.json()) == (404, {"resource": "app", "error": "not found"})


def test_an_unknown_alert_is_not_found(client: TestClient) -> None:
    response = client.get(f"{ALERTS}/al-00000000-0000-4000-8000-000000000000", auth=DEMO)
    assert (response.status_code, response.json()) == (404, {"resource": "alert", "error": "not found"})


def test_an_alert_is_only_found_under_its_own_app(client: TestClient) -> None:
    response = client.get(f"{ALERTS}/{LISTED_ALERT}", auth=DEMO)
    assert (response.status_code, response.json()) == (404, {"resource": "alert", "error": "not found"})
    assert client.delete(f"{ALERTS}/{LISTED_ALERT}", auth=DEMO).status_code == 404
    assert client.get(f"/v1/apps/example-app-2/alerts/{LISTED_ALERT}", auth=DEMO).status_code == 200


def test_someone_elses_app_is_not_found_for_them_and_found_for_its_owner(client: TestClient) -> None:
    # Recorded choice (spec: parameter app): 404 rather than 403, so app names do not leak.
    mine = client.get("/v1/apps/other-app/alerts", auth=DEMO)
    assert (mine.status_code, mine.json()) == (404, {"resource": "app", "error": "not found"})
    theirs = client.get("/v1/apps/other-app/alerts", auth=OTHER)
    assert theirs.status_code == 200
    assert [a["app_id"] for a in theirs.json()["alerts"]] == ["5c1a2b3c4d5e6f0001a2b3c4"]
    assert client.get(ALERTS, auth=OTHER).status_code == 404
    assert client.delete(DOC_ALERT_URL, auth=OTHER).status_code == 404
    assert client.get(DOC_ALERT_URL, auth=DEMO).status_code == 200


def test_numbers_are_answered_as_gos_decoder_holds_them(client: TestClient) -> None:
    # Every number is a float64 in Go, printed without ".0" when integral.
    body = b'{"alert": {"container_type": "web", "limit": 150.0, "metric": "cpu", "metadata": {"n": 1e2}}}'
    response = client.post(ALERTS, auth=DEMO, headers=CURL_HEADERS, content=body)
    assert response.status_code == 201
    assert b'"limit":150,' in response.content
    assert response.json()["alert"]["metadata"] == {"n": 100}


def test_json_that_no_strict_parser_accepts_is_a_400_error(client: TestClient) -> None:
    # A lone surrogate or NaN: the engine's strict parser refuses the body before the handler.
    for body in (
        b'{"alert": {"container_type": "web\\ud800", "limit": 1, "metric": "cpu"}}',
        b'{"alert": {"container_type": "web", "limit": NaN, "metric": "cpu"}}',
    ):
        response = client.post(ALERTS, auth=DEMO, headers=CURL_HEADERS, content=body)
        assert response.status_code == 400
        assert "error" in response.json()
