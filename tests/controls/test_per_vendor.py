"""Issue 6 across the three real vendors: every Prefer form keeps the vendor's wire format."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
SUBSCRIPTION = "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba"
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
TABLEAU_ALERT = "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts/e5a4b73e-5cbb-412d-907e-f31cc31684f7"
TABLEAU_ALERTS = "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts"
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
SCALINGO_ALERT = "/v1/apps/example-app/alerts/al-297f1134-8576-45ac-ab58-2100b6807683"
TS = "{http://tableau.com/api}"


def test_matatika_prefer_code_404_is_a_spring_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(SUBSCRIPTION, headers={**MATATIKA, "Prefer": "code=404"})
    assert response.status_code == 404
    assert {"status", "error", "message", "path"} <= set(response.json())


def test_matatika_dynamic_is_hal(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(SUBSCRIPTION, headers={**MATATIKA, "Prefer": "dynamic=true, seed=3"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/hal+json"
    body = response.json()
    assert body["type"] in ("ALL", "ALERTS", "NONE")
    assert "_links" in body


def test_matatika_named_example(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(SUBSCRIPTION, headers={**MATATIKA, "Prefer": "example=view-subscription"})
    assert response.json()["id"] == "192962ec-7b14-47e1-92c6-be304b33e4ba"


def test_tableau_prefer_code_404_is_tableau_xml_with_its_code(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(TABLEAU_ALERT, headers={**TABLEAU, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/xml"
    error = ET.fromstring(response.content).find(f"{TS}error")
    assert error is not None and error.get("code")


def test_tableau_dynamic_list_in_xml_and_json(client) -> None:  # type: ignore[no-untyped-def]
    xml = client.get(f"{TABLEAU_ALERTS}?__dynamic=true&__seed=9", headers=TABLEAU)
    root = ET.fromstring(xml.content)
    assert root.tag == f"{TS}tsResponse"
    assert root.find(f"{TS}dataAlerts/{TS}dataAlert") is not None
    as_json = client.get(f"{TABLEAU_ALERTS}?__dynamic=true&__seed=9", headers={**TABLEAU, "Accept": "application/json"})
    assert isinstance(as_json.json()["dataAlerts"]["dataAlert"], list)


def test_scalingo_prefer_code_404_is_scalingos_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(SCALINGO_ALERT, headers={**SCALINGO, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.json() == {"resource": "alert", "error": "not found"}


def test_scalingo_dynamic_keeps_the_envelope(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(SCALINGO_ALERT, headers={**SCALINGO, "Prefer": "dynamic=true"}).json()
    assert set(body) == {"alert"}
    assert body["alert"]["id"]


def test_undocumented_status_is_a_400_in_the_vendor_format(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(SCALINGO_ALERT, headers={**SCALINGO, "Prefer": "code=418"})
    assert response.status_code == 400
    assert response.json()["error"].endswith("it can answer 200, 401, 403, 404, 406, 500, 503")


@pytest.mark.parametrize(
    ("path", "headers"), [(SUBSCRIPTION, MATATIKA), (TABLEAU_ALERTS, TABLEAU), (SCALINGO_ALERT, SCALINGO)]
)
def test_same_seed_same_bodies_across_runs(client_factory, path: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    first = client_factory(seed=11).get(path, headers={**headers, "Prefer": "dynamic=true"})
    second = client_factory(seed=11).get(path, headers={**headers, "Prefer": "dynamic=true"})
    assert first.status_code == 200
    assert first.content == second.content


def test_seed_a_long_tableau_list(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/__mock/seed", json={"kind": "tableau.data_alerts", "count": 500}).status_code == 201
    page = client.get(f"{TABLEAU_ALERTS}?pageSize=100&pageNumber=1", headers={**TABLEAU, "Accept": "application/json"})
    assert page.status_code == 200
    # New alerts are modelled on the existing ones, so the site holds its share of the 500.
    assert int(page.json()["pagination"]["totalAvailable"]) > 100
    assert len(page.json()["dataAlerts"]["dataAlert"]) == 100


def test_two_sessions_diverge_on_a_real_vendor(client) -> None:  # type: ignore[no-untyped-def]
    mine = {**SCALINGO, "X-Mock-Session": "mine"}
    assert client.delete(SCALINGO_ALERT, headers=mine).status_code == 204
    assert client.get(SCALINGO_ALERT, headers=mine).status_code == 404
    assert client.get(SCALINGO_ALERT, headers=SCALINGO).status_code == 200


def test_cors_preflight_allows_tableaus_auth_header(client) -> None:  # type: ignore[no-untyped-def]
    response = client.options(
        TABLEAU_ALERTS,
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "X-Tableau-Auth, Prefer",
        },
    )
    assert response.status_code == 200
    assert "x-tableau-auth" in response.headers["access-control-allow-headers"].lower()


def test_a_long_matatika_list_pages_through_seeded_records(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/__mock/seed", json={"kind": "matatika.subscriptions", "count": 600}).status_code == 201
    page = client.get("/api/subscriptions?page=10&size=20", headers=MATATIKA).json()
    assert page["page"]["number"] == 10
    assert page["page"]["totalElements"] > 200  # the demo profile's share of the 600
    assert len(page["_embedded"]["subscriptions"]) == 20
    assert "next" in page["_links"] and "prev" in page["_links"]


# Prefer: code=N answers from the operation asked, for every status it can answer.
PREFER_CODE_CASES = [
    ("handlers.matatika.subscriptions.get_subscription", SUBSCRIPTION, MATATIKA, "application/json"),
    ("handlers.matatika.subscriptions.list_subscriptions", "/api/subscriptions", MATATIKA, "application/json"),
    ("handlers.tableau.data_alerts.get_data_alert", TABLEAU_ALERT, TABLEAU, "application/xml"),
    ("handlers.tableau.data_alerts.list_data_alerts", TABLEAU_ALERTS, TABLEAU, "application/xml"),
    ("handlers.scalingo.alerts.get_alert", SCALINGO_ALERT, SCALINGO, "application/json"),
]


@pytest.mark.parametrize(("operation_id", "path", "headers", "media_type"), PREFER_CODE_CASES)
def test_prefer_code_answers_every_status_the_operation_can(client, operation_id, path, headers, media_type) -> None:  # type: ignore[no-untyped-def]
    runtime = client.app.runtime
    statuses = runtime.contract.answerable_statuses(runtime.contract.operations[operation_id])
    assert {401, 403, 404, 500, 503} <= set(statuses)  # the vendor's generic ones
    for status in statuses:
        response = client.get(path, headers={**headers, "Prefer": f"code={status}"})
        assert response.status_code == status, (status, response.text)
        assert media_type.split("/")[1] in response.headers["content-type"], status  # json in hal+json
        if status >= 400 and media_type == "application/json" and path.startswith("/api/"):
            # A Spring error about this request, not the shared example's other resource.
            assert response.json()["path"] == path, response.text


def test_prefer_code_404_on_a_subscription_speaks_of_it(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(SUBSCRIPTION, headers={**MATATIKA, "Prefer": "code=404"}).json()
    assert body["path"] == SUBSCRIPTION
    assert "Workspace" not in body["message"]


def test_an_unknown_code_lists_what_the_operation_can_answer(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/subscriptions", headers={**MATATIKA, "Prefer": "code=418"})
    assert response.status_code == 400
    assert response.json()["message"].endswith("it can answer 200, 400, 401, 403, 404, 406, 500, 503")


# POST /__mock/seed puts the records under one parent: the one asked for, else the documented one.
DEFAULT_SITE = "13020592-762f-4de4-a25e-f4beb005836e"
MARKETING_ALERTS = "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d/dataAlerts"


def _total(client, path: str, headers: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    root = ET.fromstring(client.get(f"{path}?pageSize=1", headers=headers).content)
    return int(root.find(f"{TS}pagination").get("totalAvailable"))  # type: ignore[union-attr]


def test_seed_goes_to_the_documented_parent_by_default(client) -> None:  # type: ignore[no-untyped-def]
    before_marketing = _total(client, MARKETING_ALERTS, TABLEAU)
    response = client.post("/__mock/seed", json={"kind": "tableau.data_alerts", "count": 500})
    assert response.status_code == 201
    assert response.json()["parent"] == {"site": DEFAULT_SITE}
    assert _total(client, TABLEAU_ALERTS, TABLEAU) == 501  # the README's site: its one alert and the new ones
    assert _total(client, MARKETING_ALERTS, TABLEAU) == before_marketing


def test_seed_takes_a_parent_by_id_or_name(client) -> None:  # type: ignore[no-untyped-def]
    before = _total(client, MARKETING_ALERTS, TABLEAU)
    body = {"kind": "tableau.data_alerts", "count": 7, "parent": {"site": "marketing"}}
    assert client.post("/__mock/seed", json=body).json()["total_in_parent"] == before + 7
    assert _total(client, MARKETING_ALERTS, TABLEAU) == before + 7
    apps = {"kind": "scalingo.alerts", "count": 3, "parent": {"app": "example-app-2"}}
    assert client.post("/__mock/seed", json=apps).status_code == 201
    listed = client.get("/v1/apps/example-app-2/alerts", headers=SCALINGO).json()["alerts"]
    assert len(listed) == 4


def test_seeded_jobs_follow_their_pipelines_workspace(client) -> None:  # type: ignore[no-untyped-def]
    body = {"kind": "matatika.jobs", "count": 2, "parent": {"pipeline": "dd9f7d8e-6e95-4e29-a356-02382dc8275a"}}
    assert client.post("/__mock/seed", json=body).status_code == 201
    jobs = client.get("/__mock/state").json()["collections"]["matatika.jobs"]
    seeded = [j for j in jobs if j["pipelineId"] == "dd9f7d8e-6e95-4e29-a356-02382dc8275a"]
    assert len(seeded) == 2
    assert {j["workspaceId"] for j in seeded} == {"bc81388a-26c9-4491-a732-2b8dff0aa621"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "tableau.data_alerts", "count": 1, "parent": {"site": "nowhere"}}, 404),
        ({"kind": "tableau.data_alerts", "count": 1, "parent": {"app": "example-app"}}, 404),
        ({"kind": "tableau.sites", "count": 1, "parent": {"site": "marketing"}}, 404),
        ({"kind": "tableau.data_alerts", "count": 1, "parent": {"site": "marketing", "app": "x"}}, 400),
    ],
)
def test_seed_refuses_a_parent_it_cannot_use(client, body, status) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/__mock/seed", json=body)
    assert response.status_code == status, response.text


def test_a_create_never_takes_the_id_of_a_seeded_record(client) -> None:  # type: ignore[no-untyped-def]
    # With one --seed, /__mock/seed and the creates once drew their UUIDs from the same sequence:
    # the next subscribe was given a seeded record's id and replaced it.
    assert client.post("/__mock/seed", json={"kind": "matatika.subscriptions", "count": 25}).status_code == 201
    before = {s["id"]: s for s in client.get("/__mock/state").json()["collections"]["matatika.subscriptions"]}
    dataset = "/api/datasets/e31c9cf7-5d81-4807-b1a5-0407e72d040a/subscriptions"
    for query in ("", "?allMembers=true"):
        assert client.post(dataset + query, headers=MATATIKA).status_code in (200, 201)
    after = {s["id"]: s for s in client.get("/__mock/state").json()["collections"]["matatika.subscriptions"]}
    assert {i: after.get(i) for i in before} == before
