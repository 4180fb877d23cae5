"""`alertmock verify --url` leaves a deployment as it found it (issue 25).

Each run is `alertmock verify --url` against `alertmock serve` (a real uvicorn process, one per test,
its fixtures as the deployment's data) with only the demo credential, `--max-examples 5`, all four
phases. The mock's control API is the witness: `GET /__mock/state` before and after, and the
journal of every request the deployment received. These runs are slow (about a minute each on two
cores): the matrix is the issue's three vendors by three seeds, the other two runs are narrowed to
the operations they are about.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from alertmock.app.config import DEFAULT_SPEC
from alertmock.cli import build_parser
from alertmock.tools.verify import ExitCode, VerifyResult, bundled_document, operations, run
from alertmock.tools.verify.command import options_from_args
from alertmock.tools.verify.custody import plan_custody
from tests.servers import live_server

SEEDS = (1, 2, 3)
# The demo credential (README, "Demo credentials"), and the parents a QA engineer names as the README's
# examples do: Scalingo's app, a Matatika workspace (its demo subscriptions name none).
DEMO = {
    "matatika": ["--token", "matatika-demo-token", "--set-path", "workspace-id=bc81388a-26c9-4491-a732-2b8dff0aa621"],
    "tableau": ["--username", "admin", "--password", "admin"],
    "scalingo": ["--token", "tk-us-demo-token", "--set-path", "app=example-app"],
}
MATATIKA_DEMO = {"Authorization": "Bearer matatika-demo-token"}
# What the fixtures hold that a change could target (parents such as sites, apps or datasets aside).
TARGETS = ("matatika.subscriptions", "matatika.jobs", "matatika.alerts", "tableau.data_alerts", "scalingo.alerts")
DATA_ALERT = "/api/{api-version}/sites/{site-id}/dataAlerts/{data-alert-id}"
RECIPIENT = DATA_ALERT + "/users/{user-id}"
MARKETING = "9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"  # the Tableau site whose contentUrl is "marketing"
UNSAFE = {
    "matatika": {"POST /api/datasets/{dataset-id}/alerts", "PUT /api/datasets/{dataset-id}/alerts/{alert-id}"},
    "tableau": {f"PUT {DATA_ALERT}", f"DELETE {DATA_ALERT}"},
    "scalingo": set(),
}
# The journal must hold every request of a run. The clock runs ten times as fast: a Matatika job is
# queued for 0.2 s and runs for 3 s, as a real job leaves its queue soon after it is made; at the
# mock's default (2 s queued) a quick run's every stop can meet a job still queued (409), untested.
SERVER_FLAGS = ("--quiet", "--clock", "x10", "--journal-size", "100000", "--journal-bytes", str(512 * 1024 * 1024))


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def _control(url: str, method: str, path: str, body: Any) -> None:
    request = urllib.request.Request(
        url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method=method
    )
    urllib.request.urlopen(request, timeout=30).close()


def _records(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {kind: {r["id"]: r for r in records} for kind, records in state["collections"].items()}


def _verify(url: str, api: str, *extra: str, tmp_path: Path) -> tuple[VerifyResult, str]:
    argv = ["verify", "--url", url, "--api", api, *DEMO[api], "--max-examples", "5", *extra]
    argv += ["--report", "junit", "--report-dir", str(tmp_path / "reports")]
    out = io.StringIO()
    result = run(options_from_args(build_parser().parse_args(argv)), out=out, capture=True)
    return result, out.getvalue()


def _changes_to_what_was_there(journal: list[dict[str, Any]], before: dict[str, dict[str, Any]]) -> list[str]:
    """Every PUT, PATCH or DELETE the deployment received on something that existed before the run."""
    ids = {record_id for kind in TARGETS for record_id in before.get(kind, {})}
    recipients = {(a["id"], u) for a in before.get("tableau.data_alerts", {}).values() for u in a["recipientIds"]}
    found = []
    for entry in journal:
        if entry["method"] not in ("PUT", "PATCH", "DELETE"):
            continue
        recipient = re.search(r"/dataAlerts/([^/]+)/users/([^/]+)$", entry["path"])
        if recipient:
            hit = tuple(recipient.groups()) in recipients
        else:
            hit = any(segment in ids for segment in entry["path"].split("/"))
        if hit:
            found.append(f"{entry['method']} {entry['path']} -> {entry['status']}")
    return found


def _printed_paths(log: str) -> list[Path]:
    """The report paths the run printed (Schemathesis' "Reports:" lines)."""
    return [Path(p) for p in re.findall(r"^\s+- [\w ]+: (/\S+)$", log, flags=re.MULTILINE)]


def _assert_left_as_found(url: str, before: dict[str, Any], log: str) -> list[dict[str, Any]]:
    after = _records(_get(f"{url}/__mock/state"))
    old = _records(before)
    for kind, records in old.items():
        changed = [i for i, r in records.items() if after.get(kind, {}).get(i) != r]
        assert not changed, f"{kind}: changed or deleted {changed}\n{log[-3000:]}"
    for kind, records in after.items():
        left = sorted(set(records) - set(old.get(kind, {})))
        assert not left, f"{kind}: the run left {left}\n{log[-3000:]}"
    journal = _get(f"{url}/__mock/requests?limit=100000")["requests"]
    touched = _changes_to_what_was_there(journal, old)
    assert not touched, touched[:10]
    return journal


def _assert_reports_exist(log: str) -> None:
    printed = _printed_paths(log)
    assert printed, log[-2000:]
    assert all(path.exists() for path in printed), printed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("api", ["matatika", "tableau", "scalingo"])
def test_a_default_run_leaves_the_deployment_as_it_found_it(api: str, seed: int, tmp_path: Path) -> None:
    with live_server(*SERVER_FLAGS) as server:
        before = _get(f"{server.url}/__mock/state")
        result, log = _verify(server.url, api, "--seed", str(seed), tmp_path=tmp_path)
        _assert_left_as_found(server.url, before, log)
    assert log.startswith(f"alertmock verify: {server.url}: changes and deletes only what this run creates")
    _assert_reports_exist(log)
    # The coverage verdict keeps its meaning: what cannot run safely is untested, nothing else is.
    assert not result.failures, f"{result.reasons}\n{log[-4000:]}"
    assert set(result.coverage.untested()) == UNSAFE[api], f"{result.reasons}\n{log[-4000:]}"
    assert result.code == (ExitCode.UNTESTED if UNSAFE[api] else ExitCode.OK)
    for label in UNSAFE[api]:
        assert re.search(rf"^alertmock verify: {re.escape(label)}: not run: .*(--allow-destructive)", log, re.M)
    if api == "tableau":
        # A recipient of its own is added first, so its removal answers 2xx on every seed.
        assert result.coverage.operations[f"DELETE {RECIPIENT}"].ok, log[-4000:]
        hint = "--set-path data-alert-id=<one you can lose> or --allow-destructive"
        assert f"DELETE {DATA_ALERT}: untested (no 2xx answer; --allow-untested to accept); not run:" in log
        assert log.count(hint) >= 2


TABLEAU_ALERTS = (
    "GET /api/{api-version}/sites/{site-id}/dataAlerts",
    f"PUT {DATA_ALERT}",
    f"DELETE {DATA_ALERT}",
    f"POST {DATA_ALERT}/users",
    f"DELETE {RECIPIENT}",
)


def _operations(*labels: str) -> list[str]:
    return [arg for label in labels for arg in ("--operation", label)]


def test_an_expendable_data_alert_is_changed_and_deleted_and_nothing_else(tmp_path: Path) -> None:
    with live_server(*SERVER_FLAGS) as server:
        before = _records(_get(f"{server.url}/__mock/state"))
        # The marketing site has several alerts: the first listed receives the run's recipients.
        alerts = before["tableau.data_alerts"]
        expendable = [a for a in alerts.values() if a["siteId"] == MARKETING][-1]["id"]
        result, log = _verify(
            server.url,
            "tableau",
            *("--site", "marketing", "--seed", "1", "--set-path", f"data-alert-id={expendable}"),
            *("--phases", "examples,fuzzing"),
            *_operations(*TABLEAU_ALERTS),
            tmp_path=tmp_path,
        )
        after = _records(_get(f"{server.url}/__mock/state"))
        journal = _get(f"{server.url}/__mock/requests?limit=100000")["requests"]
    assert result.ok, f"{result.reasons}\n{log[-4000:]}"
    assert f"DELETE {DATA_ALERT} runs on data-alert-id={expendable}, given as expendable" in log
    assert expendable not in after["tableau.data_alerts"]
    del before["tableau.data_alerts"][expendable]
    assert {i: after["tableau.data_alerts"].get(i) for i in alerts} == alerts  # the others as they were
    assert not _changes_to_what_was_there(journal, before)


def test_allow_destructive_runs_as_before_and_says_so_first(tmp_path: Path) -> None:
    with live_server(*SERVER_FLAGS) as server:
        before = _records(_get(f"{server.url}/__mock/state"))
        result, log = _verify(
            server.url,
            "tableau",
            "--allow-destructive",
            "--phases",
            "examples",
            *_operations(f"DELETE {DATA_ALERT}"),
            tmp_path=tmp_path,
        )
        after = _records(_get(f"{server.url}/__mock/state"))
    assert log.splitlines()[0].startswith(f"alertmock verify: {server.url}: --allow-destructive: PUT, PATCH, DELETE")
    assert result.ok, f"{result.reasons}\n{log[-4000:]}"
    # Today's behaviour: the contract's example is the documented alert, and it is gone.
    gone = set(before["tableau.data_alerts"]) - set(after["tableau.data_alerts"])
    assert gone, log[-3000:]
    assert "clean-up" not in log


def test_an_untested_operation_without_its_parent_names_the_option_that_gives_it(tmp_path: Path) -> None:
    jobs = "GET /api/workspaces/{workspace-id}/jobs"
    with live_server(*SERVER_FLAGS) as server:
        argv = ["verify", "--url", server.url, "--api", "matatika", "--token", "matatika-demo-token"]
        argv += ["--operation", jobs, "--phases", "fuzzing", "--max-examples", "3", "--report-dir", str(tmp_path)]
        out = io.StringIO()
        result = run(options_from_args(build_parser().parse_args(argv)), out=out, capture=True)
    assert result.code == ExitCode.UNTESTED
    hint = "no workspace-id known: give --set-path workspace-id=<id> (or `workspace-id:` in --ids)"
    assert any(reason.startswith(f"{jobs}: untested") and reason.endswith(hint) for reason in result.reasons)


def test_ctrl_c_still_removes_what_the_run_created(tmp_path: Path) -> None:
    with live_server(*SERVER_FLAGS) as server:
        before = _get(f"{server.url}/__mock/state")
        existing = len(before["collections"]["scalingo.alerts"])
        argv = [sys.executable, "-m", "alertmock.cli", "verify", "--url", server.url, "--api", "scalingo"]
        argv += [*DEMO["scalingo"], "--max-examples", "5", "--seed", "1", "--report-dir", str(tmp_path)]
        verify = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 120
            # Interrupted while the deployment holds alerts the run created (and it would go on for long).
            while len(_get(f"{server.url}/__mock/state")["collections"]["scalingo.alerts"]) < existing + 2:
                assert verify.poll() is None and time.monotonic() < deadline, "the run created no alerts"
                time.sleep(0.1)
            verify.send_signal(signal.SIGINT)
            printed, _ = verify.communicate(timeout=120)
        finally:
            verify.kill()
        _assert_left_as_found(server.url, before, printed)
    assert verify.returncode == 130, printed[-3000:]
    assert "alertmock verify: clean-up: " in printed and printed.rstrip().endswith("alertmock verify: interrupted")


def test_the_contracts_links_decide_what_runs_on_what() -> None:
    document = bundled_document(DEFAULT_SPEC)
    plans = {api: plan_custody(document, operations(document, api), {}) for api in UNSAFE}
    assert {api: set(plan.unsafe) for api, plan in plans.items()} == UNSAFE
    # A recipient is the run's own when it added it; Scalingo's alert changes run on its own creates.
    assert plans["tableau"].creators[f"DELETE {RECIPIENT}"] == [f"POST {DATA_ALERT}/users"]
    assert plans["tableau"].parent_read[f"POST {DATA_ALERT}/users"] == f"GET {DATA_ALERT}"
    changes = ("PUT", "PATCH", "DELETE")
    assert all(plans["scalingo"].creators[f"{m} /v1/apps/{{app}}/alerts/{{alert_id}}"] for m in changes)
    # An alert given for them makes Tableau's two alert changes safe to run, on it alone.
    given = plan_custody(document, operations(document, "tableau"), {"data-alert-id": "lose-me"})
    assert not given.unsafe
    assert given.expendable == {label: {"data-alert-id": "lose-me"} for label in UNSAFE["tableau"]}


def test_a_subscription_on_the_second_page_is_not_taken_for_the_runs_own(tmp_path: Path) -> None:
    # Subscribing again answers the existing subscription: only a deployment read whole (every
    # page of its lists) tells the run it was there before.
    dataset = DATASET
    subscription = "8638c02d-9313-4b39-be1a-6bc0e1eec03f"  # the profile's, to that dataset
    with live_server(*SERVER_FLAGS) as server:
        _control(server.url, "POST", "/__mock/seed", {"kind": "matatika.subscriptions", "count": 80})
        # A state where the profile's one subscription to the dataset (the fixture's; the seeded
        # copies of it dropped) was made last: the list shows it on page 2.
        state = _get(f"{server.url}/__mock/state")
        subscriptions = state["collections"]["matatika.subscriptions"]
        subscriptions[:] = [s for s in subscriptions if s["id"] == subscription or not _to(s, dataset)]
        subscriptions.sort(key=lambda s: s["id"] == subscription)
        _control(server.url, "PUT", "/__mock/state", {"collections": state["collections"]})
        first_page = urllib.request.Request(f"{server.url}/api/subscriptions", headers=MATATIKA_DEMO)
        with urllib.request.urlopen(first_page, timeout=30) as answer:
            listed = {s["id"] for s in json.load(answer)["_embedded"]["subscriptions"]}
        assert len(listed) == 20 and subscription not in listed  # the case: it is on page 2
        before = _get(f"{server.url}/__mock/state")
        _, log = _resubscribe(server.url, tmp_path)
        _assert_left_as_found(server.url, before, log)


DATASET = "e31c9cf7-5d81-4807-b1a5-0407e72d040a"


def _resubscribe(url: str, tmp_path: Path) -> tuple[VerifyResult, str]:
    """A run of subscribing to the dataset (again), and changing and deleting subscriptions."""
    return _verify(
        url,
        "matatika",
        *("--set-path", f"dataset-id={DATASET}", "--seed", "1"),
        *_operations(
            "POST /api/datasets/{dataset-id}/subscriptions",
            "PUT /api/subscriptions/{subscription-id}",
            "DELETE /api/subscriptions/{subscription-id}",
        ),
        tmp_path=tmp_path,
    )


def _to(subscription: dict[str, Any], dataset: str) -> bool:
    """A subscription of the profile to the dataset (what subscribing to it again answers)."""
    target, subscriber = subscription.get("target") or {}, subscription.get("subscriber") or {}
    return target.get("id") == dataset and subscriber.get("kind") == "profile"


def test_a_deployment_whose_lists_cannot_be_read_is_written_nothing(tmp_path: Path) -> None:
    # Blind to what is there, the run cannot tell a create's answer from a record it must not
    # touch: it creates, changes and deletes nothing, and says which read failed.
    with live_server(*SERVER_FLAGS) as server:
        rule = {"method": "GET", "path": "/api/subscriptions", "error": {"rate": 1.0, "status": 503}}
        _control(server.url, "PUT", "/__mock/faults", {"rules": [rule]})
        before = _get(f"{server.url}/__mock/state")
        result, log = _resubscribe(server.url, tmp_path)
        journal = _assert_left_as_found(server.url, before, log)
    assert "could not read what the deployment holds (GET /api/subscriptions: answered 503)" in log
    writes = [e for e in journal if e["method"] != "GET" and 200 <= e["status"] < 300]
    assert writes == []
    assert not result.ok  # nothing changed, so those operations went untested
