"""Deliberately broken upstreams behind `alertmock proxy`: each defect is reported on the exchange
(headers), in ``GET /__mock/violations`` and in the journal, while the answer still passes through;
so are requests that break the contract and exchanges it does not describe."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from alertmock.contract.document import Contract
from tests.proxy.conftest import MATATIKA, SCALINGO, SCALINGO_ALERT, TABLEAU, TABLEAU_SITE

ROOT = Path(__file__).resolve().parent.parent.parent

# (path, credentials, the operation, the one Alertmock-Violation line the defect gives)
DEFECTS = [
    pytest.param(
        f"/v1/apps/example-app/alerts/{SCALINGO_ALERT}",
        SCALINGO,
        "handlers.scalingo.alerts.get_alert",
        "response.body /alert/metric: required property missing",
        id="missing-required-field",
    ),
    pytest.param(
        "/v1/apps/example-app/alerts",
        SCALINGO,
        "handlers.scalingo.alerts.list_alerts",
        "response.body /alerts/0/limit: expected number",
        id="wrong-type",
    ),
    pytest.param(
        "/api/subscriptions",
        MATATIKA,
        "handlers.matatika.subscriptions.list_subscriptions",
        "response.status 418: not documented for the operation (only 200, 400, 401, 406)",
        id="undocumented-status",
    ),
    pytest.param(
        f"/api/3.12/sites/{TABLEAU_SITE}/dataAlerts",
        TABLEAU,
        "handlers.tableau.data_alerts.list_data_alerts",
        "response.body: Response body is not the contract's XML: root element <tsResponse>, "
        'expected <tsResponse xmlns="http://tableau.com/api">',
        id="xml-without-namespace",
    ),
    pytest.param(
        "/api/3.12/serverinfo",
        {},
        "handlers.tableau.server_info.get_server_info",
        "response.content-type: text/html not documented for 200 (documented: application/xml, application/json, text/xml)",
        id="wrong-content-type",
    ),
]


def _session() -> dict[str, str]:
    return {"X-Mock-Session": f"broken-{uuid.uuid4().hex[:8]}"}


@pytest.mark.parametrize(("path", "credentials", "operation_id", "line"), DEFECTS)
def test_each_defect_is_reported_on_the_exchange_in_the_log_and_the_journal(
    broken_upstream: str, broken_proxy: str, path: str, credentials: dict[str, str], operation_id: str, line: str
) -> None:
    session = _session()
    direct = httpx.get(broken_upstream + path, headers={**credentials, **session})
    proxied = httpx.get(broken_proxy + path, headers={**credentials, **session})
    # Passed through as the upstream sent it, with the finding on top.
    assert (proxied.status_code, proxied.content) == (direct.status_code, direct.content)
    assert proxied.headers["alertmock-violations"] == "1"
    assert proxied.headers.get_list("alertmock-violation") == [line]

    listed = httpx.get(f"{broken_proxy}/__mock/violations", headers=session).json()["violations"]
    assert len(listed) == 1
    assert f"{listed[0]['location']}: {listed[0]['message']}" == line
    exchange = listed[0]["exchange"]
    assert (exchange["method"], exchange["path"], exchange["operation_id"]) == ("GET", path, operation_id)
    documented = Contract(ROOT / "openapi.yaml").operations[operation_id]
    assert exchange["operation"] == f"GET {documented.path}"  # METHOD /path, as everywhere else
    assert exchange["status"] == direct.status_code
    assert exchange["time"].endswith("Z")

    journal = httpx.get(f"{broken_proxy}/__mock/requests", headers=session).json()["requests"]
    assert [e["violations"] for e in journal] == [[{k: listed[0][k] for k in ("kind", "location", "message")}]]


def test_requests_that_break_the_contract_are_reported_and_still_forwarded(broken_proxy: str) -> None:
    session = _session()
    no_credentials = httpx.get(f"{broken_proxy}/v1/apps/example-app-2/alerts", headers=session)
    assert no_credentials.status_code == 401  # the upstream's own answer
    assert no_credentials.headers.get_list("alertmock-violation") == [
        "request.security: No authorization token provided"
    ]
    bad_body = httpx.post(
        f"{broken_proxy}/v1/apps/example-app-2/alerts",
        headers={**SCALINGO, **session},
        json={"alert": {"container_type": "web", "metric": "cpu", "limit": "lots"}},
    )
    assert "request.body /alert/limit: expected number" in bad_body.headers.get_list("alertmock-violation")
    bad_query = httpx.get(
        f"{broken_proxy}/api/3.12/sites/{TABLEAU_SITE}/dataAlerts?pageSize=many", headers={**TABLEAU, **session}
    )
    assert bad_query.headers.get_list("alertmock-violation")[0].startswith("request.query pageSize: ")


def test_an_undocumented_exchange_is_forwarded_and_reported(broken_proxy: str) -> None:
    session = _session()
    unknown_path = httpx.get(f"{broken_proxy}/v1/apps/example-app/notifiers", headers={**SCALINGO, **session})
    assert unknown_path.status_code == 404  # the upstream's answer
    assert unknown_path.headers.get_list("alertmock-violation") == [
        "undocumented: GET /v1/apps/example-app/notifiers is not in the contract"
    ]
    unknown_method = httpx.request(
        "PUT", f"{broken_proxy}/v1/apps/example-app/alerts", headers={**SCALINGO, **session}, json={}
    )
    assert unknown_method.status_code == 405
    assert unknown_method.headers.get_list("alertmock-violation") == [
        "undocumented: PUT /v1/apps/example-app/alerts is not in the contract"
    ]
    summary = httpx.get(f"{broken_proxy}/__mock/violations?summary=true", headers=session).json()["operations"]
    assert {s["operation"]: s["violations"] for s in summary} == {
        "undocumented GET /v1/apps/example-app/notifiers": {"undocumented": 1},
        "undocumented PUT /v1/apps/example-app/alerts": {"undocumented": 1},
    }
