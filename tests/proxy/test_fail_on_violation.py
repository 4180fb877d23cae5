"""``--fail-on-violation`` in front of the broken upstreams: a 502 problem naming the violations
instead of the answer; on exit, the summary per operation, the JUnit report and a failing status."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from tests.proxy.conftest import MATATIKA, SCALINGO, SCALINGO_ALERT, TABLEAU, TABLEAU_SITE, start_proxy

BROKEN = [
    (f"/v1/apps/example-app/alerts/{SCALINGO_ALERT}", SCALINGO, "handlers.scalingo.alerts.get_alert", "response.body"),
    ("/v1/apps/example-app/alerts", SCALINGO, "handlers.scalingo.alerts.list_alerts", "response.body"),
    ("/api/subscriptions", MATATIKA, "handlers.matatika.subscriptions.list_subscriptions", "response.status"),
    (
        f"/api/3.12/sites/{TABLEAU_SITE}/dataAlerts",
        TABLEAU,
        "handlers.tableau.data_alerts.list_data_alerts",
        "response.body",
    ),
    ("/api/3.12/serverinfo", {}, "handlers.tableau.server_info.get_server_info", "response.content-type"),
]
FAITHFUL_OPERATION = "handlers.scalingo.alerts.list_alerts"


def test_violations_answer_502_and_are_summed_up_on_exit(broken_upstream: str, tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "proxy.xml"
    proxy = start_proxy("--upstream", broken_upstream, "--fail-on-violation", "--report", "junit", str(junit))
    try:
        for path, credentials, operation_id, kind in BROKEN:
            answer = httpx.get(proxy.url + path, headers=credentials)
            assert answer.status_code == 502, path
            assert answer.headers["content-type"] == "application/problem+json"
            problem = answer.json()
            assert problem["status"] == 502
            assert operation_id in problem["detail"]
            assert [v["kind"] for v in problem["violations"]] == [kind]
            assert answer.headers["alertmock-violations"] == "1"
        # A faithful route of the same upstream still passes.
        passing = httpx.get(f"{proxy.url}/v1/apps/example-app-2/alerts", headers=SCALINGO)
        assert passing.status_code == 200
    finally:
        code, printed = proxy.stop()

    assert code == 1, printed
    assert "6 exchange(s), 5 broke the contract" in printed
    lines = {line.split()[0]: line for line in printed.splitlines() if line.startswith("  handlers.")}
    assert lines["handlers.scalingo.alerts.list_alerts"].split()[1:] == ["2", "response.body", "1"]
    assert lines["handlers.matatika.subscriptions.list_subscriptions"].split()[1:] == ["1", "response.status", "1"]
    assert lines["handlers.tableau.server_info.get_server_info"].split()[1:] == ["1", "response.content-type", "1"]

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {operation_id for _, _, operation_id, _ in BROKEN}
    for _, _, operation_id, kind in BROKEN:
        assert kind in [failure.get("type") for failure in cases[operation_id].iter("failure")]


def test_a_clean_run_exits_zero_with_its_summary(upstream: str) -> None:
    proxy = start_proxy("--upstream-scalingo", upstream)
    try:
        assert httpx.get(f"{proxy.url}/v1/apps/example-app/alerts", headers=SCALINGO).status_code == 200
        # No upstream for Matatika: the proxy answers 502 itself, and that is not the contract's fault.
        unrouted = httpx.get(f"{proxy.url}/api/subscriptions", headers=MATATIKA)
        assert unrouted.status_code == 502
        assert "no upstream for matatika" in unrouted.json()["detail"]
    finally:
        code, printed = proxy.stop()
    assert code == 0, printed
    assert "2 exchange(s), 0 broke the contract" in printed
    assert f"  {FAITHFUL_OPERATION}" in printed
