"""Dataset alerts (document 000): the documents' requests, the draft → created flow, errors."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import ClientFactory

from ._support import (
    ALERT,
    DATASET,
    DEMO,
    JSON,
    LOCAL_DATE_TIME,
    MOCK,
    NO_CLOUD,
    SUBSCRIBED_DATASET,
    UNKNOWN,
    documented,
)

FROZEN = "2026-06-10T07:08:13.5Z"


def test_view_alert_answers_the_documented_body(client: TestClient) -> None:
    response = client.get(f"/api/alerts/{ALERT}", headers=DEMO)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/hal+json"
    assert response.json() == documented("view-alert")


def test_view_alerts_on_a_dataset_answers_the_documented_page(client: TestClient) -> None:
    response = client.get(f"/api/datasets/{DATASET}/alerts", headers=DEMO)

    assert response.status_code == 200
    assert response.json() == documented("dataset-alerts")


def test_initialise_answers_a_new_id_and_the_create_alert_link(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)

    response = client.post(f"/api/datasets/{DATASET}/alerts", headers={**DEMO, **JSON})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(documented("initialise-alert"))
    assert body["id"] != ALERT
    assert body["created"] == body["lastModified"] == "2026-06-10T07:08:13.5"
    assert body["_links"] == {"create alert": {"href": f"{MOCK}/api/datasets/{DATASET}/alerts/{body['id']}"}}


def test_initialise_then_create_then_list_and_view(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    draft = client.post(f"/api/datasets/{DATASET}/alerts", headers={**DEMO, **JSON}).json()

    # A draft is visible by id (as the POST answered it) but is not listed on the dataset yet.
    assert client.get(f"/api/alerts/{draft['id']}", headers=DEMO).json() == draft
    assert client.get(f"/api/datasets/{DATASET}/alerts", headers=DEMO).json()["page"]["totalElements"] == 1

    created = client.put(
        draft["_links"]["create alert"]["href"], headers={**DEMO, **JSON}, json={"detail": "Sales dropped"}
    )

    assert created.status_code == 201
    body = created.json()
    assert body["id"] == draft["id"]
    assert body["created"] == draft["created"]
    assert body["detail"] == "Sales dropped"
    assert LOCAL_DATE_TIME.match(body["raised"])
    assert body["_links"] == {"dataset": {"href": f"{MOCK}/api/datasets/{DATASET}"}}
    assert client.get(f"/api/alerts/{draft['id']}", headers=DEMO).json() == body
    listed = client.get(f"/api/datasets/{DATASET}/alerts", headers=DEMO).json()
    assert [a["id"] for a in listed["_embedded"]["alerts"]] == [ALERT, draft["id"]]
    assert listed["page"] == {"size": 20, "totalElements": 2, "totalPages": 1, "number": 0}


def test_documented_put_on_the_existing_alert_answers_201_with_the_new_detail(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)

    response = client.put(
        f"/api/datasets/{DATASET}/alerts/{ALERT}",
        headers={**DEMO, **JSON},
        content=b'{\n"detail" : "New dataset alert"\n}',
    )

    assert response.status_code == 201
    expected = documented("create-alert")
    body = response.json()
    # `created` stays the stored one; the instants of the PUT are the mock's clock.
    assert body == {
        **expected,
        "created": "2026-06-10T07:08:13.436523",
        "lastModified": "2026-06-10T07:08:13.5",
        "raised": "2026-06-10T07:08:13.5",
    }


def test_put_replaces_the_detail_of_an_existing_alert(client: TestClient) -> None:
    client.put(f"/api/datasets/{DATASET}/alerts/{ALERT}", headers={**DEMO, **JSON}, json={"detail": "Changed"})

    assert client.get(f"/api/alerts/{ALERT}", headers=DEMO).json()["detail"] == "Changed"


def test_put_on_an_alert_never_initialised_on_that_dataset_is_404(client: TestClient) -> None:
    unknown = client.put(f"/api/datasets/{DATASET}/alerts/{UNKNOWN}", headers={**DEMO, **JSON}, json={"detail": "x"})
    elsewhere = client.put(
        f"/api/datasets/{SUBSCRIBED_DATASET}/alerts/{ALERT}", headers={**DEMO, **JSON}, json={"detail": "x"}
    )

    assert unknown.status_code == elsewhere.status_code == 404
    assert elsewhere.json()["message"] == f"Alert {ALERT} must be initialised on dataset {SUBSCRIBED_DATASET}"


def test_put_without_detail_is_400(client: TestClient) -> None:
    response = client.put(f"/api/datasets/{DATASET}/alerts/{ALERT}", headers={**DEMO, **JSON}, json={"details": "x"})

    assert response.status_code == 400
    assert "detail" in response.json()["message"]


def test_missing_dataset_is_404_with_the_prerequisite(client: TestClient) -> None:
    response = client.post(f"/api/datasets/{UNKNOWN}/alerts", headers={**DEMO, **JSON})

    assert response.status_code == 404
    assert response.json()["message"] == f"Dataset {UNKNOWN} must exist"
    assert client.get(f"/api/datasets/{UNKNOWN}/alerts", headers=DEMO).status_code == 404
    assert client.get(f"/api/alerts/{UNKNOWN}", headers=DEMO).status_code == 404


def test_a_profile_without_a_meltano_cloud_account_is_refused_every_alert_operation(client: TestClient) -> None:
    responses = [
        client.post(f"/api/datasets/{DATASET}/alerts", headers={**NO_CLOUD, **JSON}),
        client.put(f"/api/datasets/{DATASET}/alerts/{ALERT}", headers={**NO_CLOUD, **JSON}, json={"detail": "x"}),
        client.get(f"/api/datasets/{DATASET}/alerts", headers=NO_CLOUD),
        client.get(f"/api/alerts/{ALERT}", headers=NO_CLOUD),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert {r.json()["message"] for r in responses} == {"The authenticated user must own a Meltano Cloud account"}


def test_alert_list_pages_with_links(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    for n in range(2):
        draft = client.post(f"/api/datasets/{DATASET}/alerts", headers={**DEMO, **JSON}).json()
        client.put(draft["_links"]["create alert"]["href"], headers={**DEMO, **JSON}, json={"detail": f"alert {n}"})

    body = client.get(f"/api/datasets/{DATASET}/alerts?page=1&size=2", headers=DEMO).json()

    assert [a["detail"] for a in body["_embedded"]["alerts"]] == ["alert 1"]
    assert body["page"] == {"size": 2, "totalElements": 3, "totalPages": 2, "number": 1}
    base = f"{MOCK}/api/datasets/{DATASET}/alerts"
    assert body["_links"] == {
        "first": {"href": f"{base}?page=0&size=2"},
        "prev": {"href": f"{base}?page=0&size=2"},
        "self": {"href": f"{base}?page=1&size=2"},
        "last": {"href": f"{base}?page=1&size=2"},
    }
