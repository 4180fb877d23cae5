"""A faithful upstream (the real mock) behind `alertmock proxy`: answers pass back unchanged and
unmarked, and the engine's controls (sessions, faults, CORS, journal) work in front of it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.proxy.conftest import MATATIKA, SCALINGO, SCALINGO_ALERT, TABLEAU, TABLEAU_SITE

EXCHANGES = [
    ("GET", "/v1/apps/example-app/alerts", SCALINGO),
    ("GET", f"/v1/apps/example-app/alerts/{SCALINGO_ALERT}", SCALINGO),
    ("GET", "/v1/apps/example-app/alerts/al-missing", SCALINGO),  # the documented 404
    ("GET", "/api/subscriptions", MATATIKA),  # HAL+JSON
    ("GET", f"/api/3.12/sites/{TABLEAU_SITE}/dataAlerts?pageSize=2", TABLEAU),  # XML
    ("GET", f"/api/3.12/sites/{TABLEAU_SITE}/dataAlerts", {**TABLEAU, "Accept": "application/json"}),
]


def _session() -> dict[str, str]:
    return {"X-Mock-Session": f"proxy-{uuid.uuid4().hex[:8]}"}


@pytest.mark.parametrize(("method", "path", "headers"), EXCHANGES)
def test_a_faithful_answer_passes_through_byte_identical_and_unmarked(
    upstream: str, faithful_proxy: str, method: str, path: str, headers: dict[str, str]
) -> None:
    direct = httpx.request(method, upstream + path, headers=headers)
    proxied = httpx.request(method, faithful_proxy + path, headers=headers)
    assert proxied.status_code == direct.status_code
    assert proxied.content == direct.content
    # The upstream's own headers, in its order (only the Date can move on between the two calls).
    assert [h for h in proxied.headers.raw if h[0].lower() != b"date"] == [
        h for h in direct.headers.raw if h[0].lower() != b"date"
    ]
    assert "alertmock-violations" not in proxied.headers


def test_credentials_and_bodies_reach_the_upstream_and_its_state(upstream: str, faithful_proxy: str) -> None:
    session = _session()
    created = httpx.post(
        f"{faithful_proxy}/v1/apps/example-app/alerts",
        headers={**SCALINGO, **session},
        json={"alert": {"container_type": "web", "metric": "cpu", "limit": 0.5}},
    )
    assert created.status_code == 201, created.text
    assert "alertmock-violations" not in created.headers
    alert_id = created.json()["alert"]["id"]
    # The upstream stored it (in the session the header named): the proxy forwarded everything.
    read = httpx.get(f"{upstream}/v1/apps/example-app/alerts/{alert_id}", headers={**SCALINGO, **session})
    assert read.status_code == 200
    assert read.json()["alert"]["limit"] == 0.5


def test_no_violations_and_a_tally_per_operation(faithful_proxy: str) -> None:
    session = _session()
    for _ in range(2):
        httpx.get(f"{faithful_proxy}/v1/apps/example-app/alerts", headers={**SCALINGO, **session})
    listed = httpx.get(f"{faithful_proxy}/__mock/violations", headers=session).json()
    assert listed == {"session": session["X-Mock-Session"], "proxy": True, "violations": []}
    summary = httpx.get(f"{faithful_proxy}/__mock/violations?summary=true", headers=session).json()
    assert summary["operations"] == [
        {
            "operation": "GET /v1/apps/{app}/alerts",  # as the journal, verify and the dashboard name it
            "operation_id": "handlers.scalingo.alerts.list_alerts",
            "exchanges": 2,
            "violating_exchanges": 0,
            "violations": {},
        }
    ]
    journal = httpx.get(f"{faithful_proxy}/__mock/requests", headers=session).json()["requests"]
    assert [(e["operation_id"], e["vendor"], e["violations"]) for e in journal] == [
        ("handlers.scalingo.alerts.list_alerts", "scalingo", [])
    ] * 2


def test_faults_are_injected_in_front_of_the_real_service(upstream: str, faithful_proxy: str) -> None:
    session = _session()
    rules = {"rules": [{"path": "/v1/apps/*", "error": {"rate": 1, "status": 503}}]}
    assert httpx.put(f"{faithful_proxy}/__mock/faults", headers=session, json=rules).status_code == 200
    faulted = httpx.get(f"{faithful_proxy}/v1/apps/example-app/alerts", headers={**SCALINGO, **session})
    assert faulted.status_code == 503
    assert "error" in faulted.json()  # in Scalingo's error format, as the mock's faults are
    # The upstream never saw it.
    assert httpx.get(f"{upstream}/__mock/requests", headers=session).json()["requests"] == []
    other_route = httpx.get(f"{faithful_proxy}/api/subscriptions", headers={**MATATIKA, **session})
    assert other_route.status_code == 200


def test_cors_answers_preflights_and_exposes_the_violation_headers(faithful_proxy: str) -> None:
    origin = {"Origin": "http://app.example"}
    preflight = httpx.options(
        f"{faithful_proxy}/v1/apps/example-app/alerts",
        headers={**origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    answer = httpx.get(f"{faithful_proxy}/v1/apps/example-app/alerts", headers={**SCALINGO, **origin})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "alertmock-violation" in answer.headers["access-control-expose-headers"].lower()
