from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.handlers.tableau._support import (
    ADMIN,
    ALERT,
    ALERT_1A1,
    ALERT_C60,
    ALERT_PROFIT,
    ALERT_SALES,
    BASE,
    DOC_AUTH,
    JSON,
    OWNER,
    RECIPIENT,
    SITE,
    SITE2,
    VIEW_OVERVIEW,
    as_json_mapping,
    error_of,
    read_xml,
    sign_in,
    validate,
    xml_response,
)

# The document's example responses, verbatim.
DOC_LIST = """<tsResponse>
  <dataAlerts>
    <dataAlert id="e5a4b73e-5cbb-412d-907e-f31cc31684f7" subject="Data alert - Shipping" creatorId="8eda27d9-5ad2-42cd-a39a-61bc01a423af" createdAt="2018-08-13T20:55:29Z" updatedAt="2018-08-21T00:05:34Z" frequency="daily" public="true">
      <owner id="8eda27d9-5ad2-42cd-a39a-61bc01a423af" name="admin"/>
      <view id="defbf126-5e8b-4c12-9c55-6e772c91bf62" name="Shipping">
        <workbook id="4c384398-085c-4236-91a0-4f92bee1c9ba" name="Superstore"/>
        <project id="291de556-9f2b-11e8-a25f-631b5eb7ad77" name="Default"/>
      </view>
    </dataAlert>
  </dataAlerts>
</tsResponse>"""

DOC_DETAILS = """<tsResponse>
  <dataAlert id="e5a4b73e-5cbb-412d-907e-f31cc31684f7" subject="Data alert - Shipping" creatorId="8eda27d9-5ad2-42cd-a39a-61bc01a423af" createdAt="2018-08-13T20:55:29Z" updatedAt="2018-08-21T00:05:34Z" frequency="daily" public="true">
    <owner id="8eda27d9-5ad2-42cd-a39a-61bc01a423af" name="admin"/>
    <view id="defbf126-5e8b-4c12-9c55-6e772c91bf62" name="Shipping">
      <workbook id="4c384398-085c-4236-91a0-4f92bee1c9ba" name="Superstore"/>
      <project id="291de556-9f2b-11e8-a25f-631b5eb7ad77" name="Default"/>
    </view>
    <recipients>
      <recipient id="4"/>
    </recipients>
  </dataAlert>
</tsResponse>"""

DOC_UPDATE_BODY = b"""<tsRequest>
    <dataAlert subject="Data alert - Shipping" frequency="daily" public="true">
        <owner id="8eda27d9-5ad2-42cd-a39a-61bc01a423af"/>
    </dataAlert>
</tsRequest>"""

DOC_UPDATE_RESPONSE = """<tsResponse>
  <dataAlert id="c60bbd4e-dd98-469f-bf71-83c42378f427" subject="Data alert - Shipping"
    creatorId="8eda27d9-5ad2-42cd-a39a-61bc01a423af" createdAt="2018-08-22T23:16:41Z"
    updatedAt="2018-08-24T20:27:14Z" frequency="daily" public="true">
    <owner id="8eda27d9-5ad2-42cd-a39a-61bc01a423af" name="admin"/>
    <view id="defbf126-5e8b-4c12-9c55-6e772c91bf62" name="Shipping">
      <workbook id="4c384398-085c-4236-91a0-4f92bee1c9ba" name="Superstore"/>
      <project id="291de556-9f2b-11e8-a25f-631b5eb7ad77" name="Default"/>
    </view>
  </dataAlert>
</tsResponse>"""

CURL = {"Content-Type": "application/x-www-form-urlencoded"}  # what `curl -d @file` sends
TEST_NOW = "2026-06-10T07:08"  # the conftest clock, to the minute


def _ids(body: dict[str, Any]) -> list[str]:
    return [a["id"] for a in body["dataAlerts"].get("dataAlert", [])]


# --- the document's curl examples -------------------------------------------------------------


def test_doc_query_example_answers_the_documented_alerts(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE}/dataAlerts", headers=DOC_AUTH)
    assert response.status_code == 200
    data = xml_response(response)
    # The example leaves out the pagination element its body description shows (x-doc-discrepancy).
    assert data.pop("pagination") == {"pageNumber": "1", "pageSize": "100", "totalAvailable": "1"}
    assert data == read_xml(DOC_LIST)
    validate(as_json_mapping(xml_response(response)), "DataAlertListResponse")


def test_doc_details_example_answers_the_documented_alert(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE}/dataAlerts/{ALERT}", headers=DOC_AUTH)
    assert response.status_code == 200
    data = xml_response(response)
    expected = read_xml(DOC_DETAILS)
    # The document's recipient id "4" is not a user id (x-doc-discrepancy); the mock's is the LUID.
    assert data["dataAlert"].pop("recipients") == {"recipient": [{"id": RECIPIENT}]}
    expected["dataAlert"].pop("recipients")
    assert data == expected
    validate(as_json_mapping(xml_response(response)), "DataAlertDetailsResponse")


def test_doc_update_example_answers_the_documented_alert(client: TestClient) -> None:
    url = f"{BASE}/{SITE2}/dataAlerts/{ALERT_1A1}"
    response = client.put(url, content=DOC_UPDATE_BODY, headers={**DOC_AUTH, **CURL})
    assert response.status_code == 200
    alert = xml_response(response)["dataAlert"]
    expected = read_xml(DOC_UPDATE_RESPONSE)["dataAlert"]
    # The id is the URI's, not the example's (x-doc-discrepancy); updatedAt is the mock's clock.
    assert alert.pop("id") == ALERT_1A1
    expected.pop("id")
    assert alert.pop("updatedAt").startswith(TEST_NOW)
    expected.pop("updatedAt")
    assert alert == expected
    validate(as_json_mapping(xml_response(response)), "DataAlertResponse")


def test_doc_delete_example_answers_204_then_409023(client: TestClient) -> None:
    url = f"{BASE}/{SITE}/dataAlerts/{ALERT}"
    deleted = client.delete(url, headers=DOC_AUTH)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert error_of(client.delete(url, headers=DOC_AUTH)) == (404, "409023")
    assert error_of(client.get(url, headers=DOC_AUTH)) == (404, "409023")
    assert _ids(client.get(f"{BASE}/{SITE}/dataAlerts", headers={**DOC_AUTH, **JSON}).json()) == []


# --- JSON ---------------------------------------------------------------------------------------


def test_list_in_json_follows_tableaus_json_mapping(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE2}/dataAlerts", headers={**DOC_AUTH, **JSON})
    assert response.status_code == 200
    body = response.json()
    assert body["pagination"] == {"pageNumber": "1", "pageSize": "100", "totalAvailable": "4"}
    assert _ids(body) == [ALERT_C60, ALERT_1A1, ALERT_PROFIT, ALERT_SALES]
    first = body["dataAlerts"]["dataAlert"][0]
    assert first["public"] is True
    assert set(first) >= {
        "id",
        "subject",
        "creatorId",
        "createdAt",
        "updatedAt",
        "frequency",
        "public",
        "owner",
        "view",
    }
    assert set(first["view"]) == {"id", "name", "workbook", "project"}
    validate(body, "DataAlertListResponse")


def test_details_in_json_carries_recipients(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE}/dataAlerts/{ALERT}", headers={**DOC_AUTH, **JSON})
    assert response.status_code == 200
    assert response.json()["dataAlert"]["recipients"] == {"recipient": [{"id": RECIPIENT}]}


def test_details_without_recipients_is_an_empty_wrapper(client: TestClient) -> None:
    url = f"{BASE}/{SITE2}/dataAlerts/{ALERT_SALES}"
    assert client.get(url, headers={**DOC_AUTH, **JSON}).json()["dataAlert"]["recipients"] == {}
    assert xml_response(client.get(url, headers=DOC_AUTH))["dataAlert"]["recipients"] == ""


def test_update_in_json_with_any_case_frequency_and_string_public(client: TestClient) -> None:
    url = f"{BASE}/{SITE2}/dataAlerts/{ALERT_1A1}"
    body = {"dataAlert": {"subject": "Renamed", "frequency": "HOURLY", "public": "true", "owner": {"id": ADMIN}}}
    response = client.put(url, json=body, headers={**DOC_AUTH, **JSON})
    assert response.status_code == 200
    alert = response.json()["dataAlert"]
    assert (alert["subject"], alert["frequency"], alert["public"]) == ("Renamed", "hourly", True)
    assert alert["owner"] == {"id": ADMIN, "name": "admin"}
    assert alert["updatedAt"].startswith(TEST_NOW)
    again = client.get(url, headers={**DOC_AUTH, **JSON}).json()["dataAlert"]
    assert (again["subject"], again["frequency"], again["updatedAt"]) == ("Renamed", "hourly", alert["updatedAt"])


def test_update_keeps_what_the_body_leaves_out(client: TestClient) -> None:
    url = f"{BASE}/{SITE2}/dataAlerts/{ALERT_1A1}"
    response = client.put(url, json={"dataAlert": {"public": False}}, headers={**DOC_AUTH, **JSON})
    alert = response.json()["dataAlert"]
    assert (alert["subject"], alert["frequency"], alert["owner"]["id"]) == (
        "Data alert - Shipping (draft)",
        "weekly",
        OWNER,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"dataAlert": {"frequency": "monthly"}},
        {"dataAlert": {"colour": "red"}},
        {"dataAlert": {"owner": {}}},
        {"somethingElse": {}},
    ],
)
def test_update_with_a_bad_body_is_400000(client: TestClient, body: dict[str, Any]) -> None:
    response = client.put(f"{BASE}/{SITE2}/dataAlerts/{ALERT_1A1}", json=body, headers=DOC_AUTH)
    assert error_of(response) == (400, "400000")


def test_update_with_an_unknown_owner_is_404002(client: TestClient) -> None:
    body = {"dataAlert": {"owner": {"id": "00000000-0000-4000-8000-000000000000"}}}
    response = client.put(f"{BASE}/{SITE2}/dataAlerts/{ALERT_1A1}", json=body, headers=DOC_AUTH)
    assert error_of(response) == (404, "404002")


# --- pagination and filter ----------------------------------------------------------------------


def test_pages(client: TestClient) -> None:
    url = f"{BASE}/{SITE2}/dataAlerts"
    page2 = client.get(url, params={"pageSize": 3, "pageNumber": 2}, headers={**DOC_AUTH, **JSON}).json()
    assert page2["pagination"] == {"pageNumber": "2", "pageSize": "3", "totalAvailable": "4"}
    assert _ids(page2) == [ALERT_SALES]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pageNumber": "0"}, (400, "400006")),
        ({"pageNumber": "x"}, (400, "400006")),
        ({"pageNumber": "3", "pageSize": "2"}, (400, "400006")),
        ({"pageSize": "0"}, (400, "400007")),
        ({"pageSize": "many"}, (400, "400007")),
        ({"pageSize": "1001"}, (403, "403014")),
        ({"filter": "name:eq:Shipping"}, (400, "400000")),
    ],
)
def test_paging_and_filter_errors(client: TestClient, params: dict[str, str], expected: tuple[int, str]) -> None:
    assert error_of(client.get(f"{BASE}/{SITE2}/dataAlerts", params=params, headers=DOC_AUTH)) == expected


def test_filter_by_view(client: TestClient) -> None:
    response = client.get(
        f"{BASE}/{SITE2}/dataAlerts", params={"filter": f"viewId:eq:{VIEW_OVERVIEW}"}, headers={**DOC_AUTH, **JSON}
    )
    body = response.json()
    assert _ids(body) == [ALERT_PROFIT, ALERT_SALES]
    assert body["pagination"]["totalAvailable"] == "2"


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("admin", [ALERT_C60, ALERT_1A1, ALERT_PROFIT, ALERT_SALES]),
        ("siteadmin", [ALERT_C60, ALERT_1A1, ALERT_PROFIT, ALERT_SALES]),
        ("alertowner", [ALERT_C60, ALERT_1A1, ALERT_PROFIT]),
        ("recipient", [ALERT_C60, ALERT_PROFIT]),
    ],
)
def test_who_sees_which_alerts(client: TestClient, user: str, visible: list[str]) -> None:
    response = client.get(f"{BASE}/{SITE2}/dataAlerts", headers={**sign_in(client, user), **JSON})
    assert response.status_code == 200
    assert _ids(response.json()) == visible


def test_a_user_without_alerts_may_not_query(client: TestClient) -> None:
    response = client.get(f"{BASE}/{SITE2}/dataAlerts", headers=sign_in(client, "viewer"))
    assert error_of(response) == (403, "403004")
    assert xml_response(response)["error"]["summary"] == "Read forbidden"


def test_details_permissions(client: TestClient) -> None:
    recipient = sign_in(client, "recipient")
    assert client.get(f"{BASE}/{SITE2}/dataAlerts/{ALERT_PROFIT}", headers=recipient).status_code == 200
    assert error_of(client.get(f"{BASE}/{SITE2}/dataAlerts/{ALERT_SALES}", headers=recipient)) == (403, "403004")
    viewer = sign_in(client, "viewer")
    assert client.get(f"{BASE}/{SITE2}/dataAlerts/{ALERT_C60}", headers=viewer).status_code == 200  # public


@pytest.mark.parametrize(
    ("user", "alert", "expected"),
    [
        ("alertowner", ALERT_1A1, 200),
        ("siteadmin", ALERT_1A1, 200),
        ("recipient", ALERT_PROFIT, (403, "409030")),
        ("viewer", ALERT_C60, (403, "409030")),
        ("viewer", ALERT_SALES, (403, "403004")),
    ],
)
def test_update_permissions(client: TestClient, user: str, alert: str, expected: object) -> None:
    response = client.put(
        f"{BASE}/{SITE2}/dataAlerts/{alert}", json={"dataAlert": {"subject": "x"}}, headers=sign_in(client, user)
    )
    assert (response.status_code if expected == 200 else error_of(response)) == expected


@pytest.mark.parametrize(
    ("user", "alert", "expected"),
    [
        ("recipient", ALERT_PROFIT, 204),
        ("alertowner", ALERT_PROFIT, 204),
        ("siteadmin", ALERT_C60, 204),
        ("viewer", ALERT_C60, (403, "403004")),
        ("recipient", ALERT_SALES, (403, "403004")),
    ],
)
def test_delete_permissions(client: TestClient, user: str, alert: str, expected: object) -> None:
    response = client.delete(f"{BASE}/{SITE2}/dataAlerts/{alert}", headers=sign_in(client, user))
    assert (response.status_code if expected == 204 else error_of(response)) == expected


# --- site, version, unknown ids -----------------------------------------------------------------


def test_unknown_site_is_404000(client: TestClient) -> None:
    response = client.get(f"{BASE}/00000000-0000-4000-8000-000000000000/dataAlerts", headers=DOC_AUTH)
    assert error_of(response) == (404, "404000")


def test_an_alert_of_another_site_is_not_found(client: TestClient) -> None:
    assert error_of(client.get(f"{BASE}/{SITE}/dataAlerts/{ALERT_C60}", headers=DOC_AUTH)) == (404, "409023")


@pytest.mark.parametrize("version", ["3.1", "2.8"])
def test_api_versions_before_3_2_have_no_data_alerts(client: TestClient, version: str) -> None:
    response = client.get(f"/api/{version}/sites/{SITE}/dataAlerts", headers=DOC_AUTH)
    assert error_of(response) == (404, "404003")
    assert "3.2" in xml_response(response)["error"]["detail"]


def test_api_version_3_2_has_them(client: TestClient) -> None:
    assert client.get(f"/api/3.2/sites/{SITE}/dataAlerts", headers=DOC_AUTH).status_code == 200


def test_the_doc_token_works_on_every_documented_site(client: TestClient) -> None:
    for site in (SITE, SITE2):
        assert client.get(f"{BASE}/{site}/dataAlerts", headers=DOC_AUTH).status_code == 200


# --- wire forms kept between requests -------------------------------------------------------------


def test_a_list_answers_what_changed_since_the_last_list(client: TestClient) -> None:
    # The list keeps each alert's wire form (and its XML) while its records are unchanged: an
    # update, and a renamed view or owner imported through the control API, show in the next list.
    url = f"{BASE}/{SITE2}/dataAlerts"

    def first(media: dict[str, str]) -> dict[str, Any]:
        response = client.get(url, headers={**DOC_AUTH, **media})
        assert response.status_code == 200
        body = response.json() if media else xml_response(response)
        return body["dataAlerts"]["dataAlert"][0]  # type: ignore[no-any-return]

    for media in (JSON, {}, JSON, {}):
        assert first(media)["subject"] == "Data alert - Shipping"
    body = {"dataAlert": {"subject": "Renamed & <escaped>"}}
    assert client.put(f"{url}/{ALERT_C60}", json=body, headers=DOC_AUTH).status_code == 200
    state = client.get("/__mock/state").json()["collections"]
    view = next(v for v in state["tableau.views"] if v["id"] == first(JSON)["view"]["id"])
    view["name"] = "Renamed view"
    owner = next(u for u in state["tableau.users"] if u["id"] == first(JSON)["owner"]["id"])
    owner["name"] = "renamed owner"
    assert client.put("/__mock/state", json={"collections": state}).status_code == 200
    for media in (JSON, {}, {}):
        alert = first(media)
        assert alert["subject"] == "Renamed & <escaped>"
        assert (alert["view"]["name"], alert["owner"]["name"]) == ("Renamed view", "renamed owner")


def test_a_kept_alert_follows_its_owner_and_view_records() -> None:
    asyncio.run(_a_kept_alert_follows_its_owner_and_view_records())


async def _a_kept_alert_follows_its_owner_and_view_records() -> None:
    # Only the view (or the owner) is replaced, not the alert: its kept wire form must not answer.
    from alertmock.state.memory import MemoryState
    from handlers.tableau import _wire

    alert = {"id": "a", "subject": "s", "creatorId": "u", "createdAt": "c", "updatedAt": "u", "frequency": "daily"}
    alert |= {"public": False, "ownerId": "u", "viewId": "v"}
    view = {"id": "v", "name": "first", "workbook": {"id": "w", "name": "wb"}, "project": {"id": "p", "name": "pr"}}
    state = MemoryState({"tableau.users": [{"id": "u", "name": "one"}], "tableau.views": [view]})

    async def names() -> tuple[str, str]:
        listed = await _wire.data_alert_list(state, [alert], 1, 10, 1)
        item = listed["dataAlerts"]["dataAlert"][0]
        return item["owner"]["name"], item["view"]["name"]

    assert await names() == ("one", "first")
    assert await names() == ("one", "first")
    await state.put("tableau.views", "v", {**view, "name": "second"})
    assert await names() == ("one", "second")
    await state.put("tableau.users", "u", {"id": "u", "name": "two"})
    assert await names() == ("two", "second")
    await state.delete("tableau.users", "u")
    assert await names() == ("", "second")
