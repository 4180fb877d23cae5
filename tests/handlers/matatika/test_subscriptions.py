"""Subscriptions (document 001): the documents' requests, scoping, subscribe → update → remove."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from tests.conftest import ClientFactory

from ._support import (
    CHANNEL,
    CURL_ACCEPT,
    DEMO,
    DEMO_PROFILE,
    JSON,
    MOCK,
    PIPELINE,
    SECOND,
    SUBSCRIBED_DATASET,
    UNKNOWN,
    WORKSPACE,
    documented,
)

CHANNEL_SUBSCRIPTION = "192962ec-7b14-47e1-92c6-be304b33e4ba"
WORKSPACE_SUBSCRIPTION = "70ac50bf-2fce-4e94-87aa-c3085f3b7158"
SECOND_PROFILES_SUBSCRIPTION = "5b0e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
CURL = {**DEMO, **CURL_ACCEPT, **JSON}
FROZEN = "2026-06-10T07:08:13Z"


def test_view_a_subscription_answers_the_documented_body(client: TestClient) -> None:
    response = client.get(f"/api/subscriptions/{CHANNEL_SUBSCRIPTION}", headers=CURL)

    assert response.status_code == 200
    # The curl's Accept asks for application/json: the same HAL body under that media type.
    assert response.headers["content-type"] == "application/json"
    assert response.json() == documented("view-subscription") == documented("subscription-object")


def test_without_accept_the_answer_is_hal(client: TestClient) -> None:
    response = client.get(f"/api/subscriptions/{CHANNEL_SUBSCRIPTION}", headers=DEMO)

    assert response.headers["content-type"] == "application/hal+json"


def test_member_subscriptions_answer_the_documented_page(client: TestClient) -> None:
    response = client.get(f"/api/workspaces/{WORKSPACE}/members/subscriptions", headers=CURL)

    assert response.status_code == 200
    assert response.json() == documented("member-subscriptions")


def test_documented_update_then_the_list_answers_as_documented(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    headers = {**DEMO, **CURL_ACCEPT, "Content-Type": "application/hal+json; charset=ISO-8859-1"}

    updated = client.put(
        f"/api/subscriptions/{CHANNEL_SUBSCRIPTION}", headers=headers, content=b'{\n  "type" : "ALERTS"\n}'
    )

    assert updated.status_code == 200
    assert updated.json() == {**documented("update-subscription"), "lastModified": "2026-06-10T07:08:13"}
    listed = client.get("/api/subscriptions", headers=CURL).json()
    expected = documented("all-subscriptions")
    expected["_embedded"]["subscriptions"][1]["lastModified"] = "2026-06-10T07:08:13"
    assert listed == expected


def test_the_list_holds_only_the_callers_subscriptions(client: TestClient) -> None:
    mine = client.get("/api/subscriptions", headers=SECOND).json()

    assert [s["id"] for s in mine["_embedded"]["subscriptions"]] == [SECOND_PROFILES_SUBSCRIPTION]


@pytest.mark.parametrize(
    ("path", "example", "seeded"),
    [
        (f"/api/channels/{CHANNEL}/subscriptions", "subscribe-channel", "192962ec-7b14-47e1-92c6-be304b33e4ba"),
        (
            f"/api/datasets/{SUBSCRIBED_DATASET}/subscriptions",
            "subscribe-dataset",
            "8638c02d-9313-4b39-be1a-6bc0e1eec03f",
        ),
        (f"/api/pipelines/{PIPELINE}/subscriptions", "subscribe-pipeline", "cfe61764-0a22-4070-95e1-6870797e9abf"),
        (f"/api/workspaces/{WORKSPACE}/subscriptions?allMembers=true", "subscribe-workspace", WORKSPACE_SUBSCRIPTION),
    ],
)
def test_documented_subscribe_answers_the_existing_subscription(
    client: TestClient, path: str, example: str, seeded: str
) -> None:
    stored = client.get(f"/api/subscriptions/{seeded}", headers=CURL).json()

    response = client.post(path, headers=CURL)

    assert response.status_code == 200
    # The documented answers come from the run that created them: nanosecond instants before the
    # database round trip. Subscribing again answers the stored subscription unchanged.
    expected = {**documented(example), "created": stored["created"], "lastModified": stored["lastModified"]}
    assert response.json() == expected
    assert client.get("/api/subscriptions", headers=DEMO).json()["page"]["totalElements"] == 3


def test_subscribe_update_unsubscribe(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)

    created = client.post(f"/api/workspaces/{WORKSPACE}/subscriptions", headers=CURL)

    assert created.status_code == 200
    body = created.json()
    assert body["type"] == "ALL"
    assert body["created"] == body["lastModified"] == "2026-06-10T07:08:13"
    assert body["_embedded"]["subscriberProfile"]["id"] == DEMO_PROFILE
    assert body["_embedded"]["workspace"] == {"id": WORKSPACE, "name": "Test Workspace [2024-04-10T14:08:56.815894892]"}
    self_href = f"{MOCK}/api/subscriptions/{body['id']}"
    assert body["_links"] == {
        "self": {"href": self_href},
        "delete subscription": {"href": self_href, "type": "DELETE"},
        "update subscription": {"href": self_href, "type": "PUT"},
        "workspace": {"href": f"{MOCK}/api/workspaces/{WORKSPACE}"},
    }
    assert client.post(f"/api/workspaces/{WORKSPACE}/subscriptions", headers=CURL).json()["id"] == body["id"]

    updated = client.put(self_href, headers=CURL, json={"type": "NONE"})
    assert updated.status_code == 200
    assert client.get(self_href, headers=CURL).json()["type"] == "NONE"

    removed = client.delete(self_href, headers=CURL)
    assert removed.status_code == 204
    assert removed.content == b""
    assert client.get(self_href, headers=CURL).status_code == 404
    assert client.delete(self_href, headers=CURL).status_code == 404


def test_an_unknown_type_is_400(client: TestClient) -> None:
    response = client.put(f"/api/subscriptions/{CHANNEL_SUBSCRIPTION}", headers=CURL, json={"type": "HOURLY"})

    assert response.status_code == 400
    assert "HOURLY" in response.json()["message"]
    assert client.get(f"/api/subscriptions/{CHANNEL_SUBSCRIPTION}", headers=CURL).json()["type"] == "ALL"


def test_another_profiles_subscription_is_not_found(client: TestClient) -> None:
    url = f"/api/subscriptions/{SECOND_PROFILES_SUBSCRIPTION}"

    assert client.get(url, headers=DEMO).status_code == 404
    assert client.put(url, headers={**DEMO, **JSON}, json={"type": "NONE"}).status_code == 404
    assert client.delete(url, headers=DEMO).status_code == 404
    assert client.get(url, headers=SECOND).status_code == 200


def test_only_the_workspace_owner_changes_a_workspace_subscription(client: TestClient) -> None:
    url = f"/api/subscriptions/{WORKSPACE_SUBSCRIPTION}"

    assert client.get(url, headers=SECOND).status_code == 200  # members see it
    assert client.put(url, headers={**SECOND, **JSON}, json={"type": "NONE"}).status_code == 403
    assert client.delete(url, headers=SECOND).status_code == 403
    assert client.put(url, headers={**DEMO, **JSON}, json={"type": "NONE"}).status_code == 200


def test_all_members_by_a_non_owner_is_403(client: TestClient) -> None:
    response = client.post(f"/api/channels/{CHANNEL}/subscriptions?allMembers=true", headers={**SECOND, **JSON})

    assert response.status_code == 403
    assert response.json()["message"] == f"Only the owner of workspace {WORKSPACE} can subscribe all its members"


def test_all_members_subscribes_the_workspace(client: TestClient) -> None:
    response = client.post(f"/api/channels/{CHANNEL}/subscriptions?allMembers=true", headers=CURL)

    body = response.json()
    assert body["_embedded"]["subscriberWorkspace"]["id"] == WORKSPACE
    assert "subscriberProfile" not in body["_embedded"]
    members = client.get(f"/api/workspaces/{WORKSPACE}/members/subscriptions", headers=CURL).json()
    assert [s["id"] for s in members["_embedded"]["subscriptions"]] == [WORKSPACE_SUBSCRIPTION, body["id"]]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/api/workspaces/{UNKNOWN}/subscriptions", f"Workspace {UNKNOWN} must exist"),
        (f"/api/channels/{UNKNOWN}/subscriptions", f"Channel {UNKNOWN} must exist"),
        (f"/api/datasets/{UNKNOWN}/subscriptions", f"Dataset {UNKNOWN} must exist"),
        (f"/api/pipelines/{UNKNOWN}/subscriptions", f"Pipeline {UNKNOWN} must exist"),
    ],
)
def test_subscribing_to_a_missing_target_is_404(client: TestClient, path: str, message: str) -> None:
    response = client.post(path, headers=CURL)

    assert response.status_code == 404
    assert response.json()["message"] == message


def test_member_subscriptions_need_an_existing_workspace_and_membership(client: TestClient) -> None:
    outsider = {"Authorization": "Bearer matatika-second-token"}

    assert client.get(f"/api/workspaces/{UNKNOWN}/members/subscriptions", headers=DEMO).status_code == 404
    assert (
        client.get(
            "/api/workspaces/73bc3927-e760-48f0-9e43-e11e1351e7fb/members/subscriptions", headers=outsider
        ).status_code
        == 403
    )


def test_an_empty_page_has_no_embedded(client: TestClient) -> None:
    body = client.get("/api/subscriptions?page=5", headers=DEMO).json()

    assert "_embedded" not in body
    assert body["page"] == {"size": 20, "totalElements": 3, "totalPages": 1, "number": 5}


@pytest.mark.parametrize("query", ["page=-1", "size=0", "size=2001", "page=x"])
def test_bad_paging_values_are_400(client: TestClient, query: str) -> None:
    response = client.get(f"/api/subscriptions?{query}", headers=DEMO)

    assert response.status_code == 400
    assert response.json()["message"].startswith("query parameter")


def test_a_page_of_subscriptions_sharing_targets_answers_each_as_viewed_alone(client: TestClient) -> None:
    # A page embeds each (subscriber, target) pair once and shares it between items: each item must
    # still be the body its own GET answers, links on the host the client used.
    assert client.post("/__mock/seed", json={"kind": "matatika.subscriptions", "count": 20}).status_code == 201
    forwarded = {**DEMO, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "alerts.example"}

    items = client.get("/api/subscriptions?size=50", headers=forwarded).json()["_embedded"]["subscriptions"]

    assert len({repr(item["_embedded"]) for item in items}) < len(items)  # pairs do repeat
    for item in items:
        alone = client.get(f"/api/subscriptions/{item['id']}", headers=forwarded).json()
        assert item == alone
        assert alone["_links"]["self"]["href"] == f"https://alerts.example/api/subscriptions/{item['id']}"


def test_a_subscription_to_a_workspace_that_is_gone_still_answers(client: TestClient) -> None:
    # State imported by a test (or left by a delete) may point at a workspace that no longer exists:
    # the subscription is still served, its target embedded with the id alone and an empty name.
    state = client.get("/__mock/state").json()["collections"]
    mine = next(s for s in state["matatika.subscriptions"] if s["subscriber"]["kind"] == "profile")
    dangling = {**mine, "id": "11111111-2222-4333-8444-555555555555", "target": {"kind": "workspace", "id": UNKNOWN}}
    state["matatika.subscriptions"].append(dangling)
    assert client.put("/__mock/state", json={"collections": state}).status_code == 200

    response = client.get(f"/api/subscriptions/{dangling['id']}", headers=DEMO)

    assert response.status_code == 200
    assert response.json()["_embedded"]["workspace"] == {"id": UNKNOWN, "name": ""}


def test_a_list_answers_related_records_replaced_since_the_last_list(client: TestClient) -> None:
    # Each subscription's wire form is kept between requests while it and its related records are
    # the same objects: a profile or a target replaced in the store (the subscription untouched)
    # shows in the next list.
    state = client.app.runtime.sessions.get("default")  # type: ignore[attr-defined]

    def listed() -> list[dict[str, object]]:
        response = client.get("/api/subscriptions", headers=DEMO)
        assert response.status_code == 200
        return response.json()["_embedded"]["subscriptions"]  # type: ignore[no-any-return]

    before = listed()
    assert listed() == before
    channel_item = next(s for s in before if "channel" in s["_embedded"])
    profile = asyncio.run(state.get("matatika.profiles", DEMO_PROFILE))
    channel = asyncio.run(state.get("matatika.channels", CHANNEL))
    asyncio.run(state.put("matatika.profiles", DEMO_PROFILE, {**profile, "name": "Renamed profile"}))
    asyncio.run(state.put("matatika.channels", CHANNEL, {**channel, "name": "Renamed channel"}))

    after = listed()
    assert [s["id"] for s in after] == [s["id"] for s in before]
    assert {s["_embedded"]["subscriberProfile"]["name"] for s in after} == {"Renamed profile"}
    assert next(s for s in after if s["id"] == channel_item["id"])["_embedded"]["channel"]["name"] == "Renamed channel"
    # The same record answers a forwarded host with links of its own.
    forwarded = client.get("/api/subscriptions", headers={**DEMO, "X-Forwarded-Host": "alerts.example"}).json()
    assert forwarded["_embedded"]["subscriptions"][0]["_links"]["self"]["href"].startswith("http://alerts.example/")
