"""`alertmock serve --workers 2 --state redis://…` on uvicorn: two processes behave as one mock.

Every request goes over a connection of its own, so the kernel spreads them over both workers.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .conftest import Answer, Served

APP = "/v1/apps/5ab1128fdccb8b0001111963/alerts"
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
IDLE_PIPELINE = "a6006410-e5b5-465b-838a-d8ca2132da47"
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd", "Accept": "application/json"}
TABLEAU_ALERT = "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts/e5a4b73e-5cbb-412d-907e-f31cc31684f7"
POOL = 16


def alert_body(limit: int) -> dict[str, Any]:
    return {"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": limit}}


def in_parallel(calls: list[Callable[[], Answer]], workers: int = POOL) -> list[Answer]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda call: call(), calls))


def processes_answering(served: Served, expected: int = 2, seconds: float = 30.0) -> set[int]:
    """The worker processes seen answering, asking until `expected` have or `seconds` pass: the
    server is ready when its first worker is, and on a loaded machine the second starts later."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < expected and time.monotonic() < deadline:
        seen |= {served.request("GET", "/__mock/health").json()["process"] for _ in range(20)}
    return seen


def test_two_workers_are_one_mock(serve: Callable[..., Served], redis_url: str) -> None:
    served = serve("--workers", "2", "--state", redis_url, "--journal-size", "5000")
    assert len(processes_answering(served)) == 2  # both workers answer, on one port

    created = in_parallel(
        [lambda i=i: served.request("POST", APP, json=alert_body(i), headers=SCALINGO) for i in range(500)]
    )
    assert [r.status_code for r in created] == [201] * 500
    ids = [r.json()["alert"]["id"] for r in created]
    assert len(set(ids)) == 500  # no two processes handed out the same id

    read = in_parallel([lambda id=id: served.request("GET", f"{APP}/{id}", headers=SCALINGO) for id in ids])
    assert [r.status_code for r in read] == [200] * 500
    assert [r.json()["alert"]["limit"] for r in read] == list(range(500))
    listed = served.request("GET", APP, headers=SCALINGO).json()["alerts"]
    assert set(ids) <= {a["id"] for a in listed}

    deleted = in_parallel([lambda id=id: served.request("DELETE", f"{APP}/{id}", headers=SCALINGO) for id in ids])
    assert [r.status_code for r in deleted] == [204] * 500
    gone = in_parallel([lambda id=id: served.request("GET", f"{APP}/{id}", headers=SCALINGO) for id in ids])
    assert [r.status_code for r in gone] == [404] * 500

    # The clock, moved through the control API of one process, is every process's clock.
    job = served.request("POST", f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers=MATATIKA).json()
    assert job["status"] == "QUEUED"
    assert served.request("POST", "/__mock/clock", json={"advance_seconds": 3600}).status_code == 200
    seen = in_parallel([lambda: served.request("GET", f"/api/jobs/{job['id']}", headers=MATATIKA)] * 40)
    assert {r.json()["status"] for r in seen} == {"COMPLETE"}

    # A fault rule set through one process is applied by every process.
    rule = {"method": "GET", "path": "/v1/apps/*", "error": {"rate": 1.0, "status": 503}}
    assert served.request("PUT", "/__mock/faults", json={"rules": [rule]}).status_code == 200
    faulted = in_parallel([lambda: served.request("GET", APP, headers=SCALINGO)] * 40)
    assert {r.status_code for r in faulted} == {503}
    assert len(processes_answering(served)) == 2
    served.request("DELETE", "/__mock/faults")
    assert served.request("GET", APP, headers=SCALINGO).status_code == 200

    # Every request, whichever process answered it, is in the journal.
    journal = served.request("GET", "/__mock/requests").json()["requests"]
    posts = [e for e in journal if e["method"] == "POST" and e["path"] == APP]
    assert sorted(e["status"] for e in posts) == [201] * 500
    for method, status in (("GET", 200), ("DELETE", 204), ("GET", 404)):
        answered = {e["path"].rsplit("/", 1)[1] for e in journal if e["method"] == method and e["status"] == status}
        assert set(ids) <= answered, (method, status)
    assert sum(e["status"] == 503 for e in journal) == 40
    assert len({e["id"] for e in journal}) == len(journal)


def test_concurrent_writes_are_neither_lost_nor_torn(serve: Callable[..., Served], redis_url: str) -> None:
    served = serve("--workers", "2", "--state", redis_url)
    # 60 more users on the alert's site, then 64 connections at once: each adds one of them as a
    # recipient of the same alert (get, append, put: a lost update would drop someone), and
    # creates, updates and deletes alerts of its own.
    assert served.request("POST", "/__mock/seed", json={"kind": "tableau.users", "count": 60}).status_code == 201
    users = [u["id"] for u in served.request("GET", "/__mock/state").json()["collections"]["tableau.users"]]
    before = served.request("GET", TABLEAU_ALERT, headers=TABLEAU).json()["dataAlert"]
    before_ids = {r["id"] for r in before["recipients"].get("recipient", [])}

    def worker(n: int) -> dict[str, Any]:
        user = users[n % len(users)]
        added = served.request("POST", f"{TABLEAU_ALERT}/users", json={"user": {"id": user}}, headers=TABLEAU)
        kept = served.request("POST", APP, json=alert_body(n), headers=SCALINGO).json()["alert"]["id"]
        dropped = served.request("POST", APP, json=alert_body(n), headers=SCALINGO).json()["alert"]["id"]
        patched = served.request("PATCH", f"{APP}/{kept}", json={"alert": {"limit": 1000 + n}}, headers=SCALINGO)
        deleted = served.request("DELETE", f"{APP}/{dropped}", headers=SCALINGO)
        return {"user": user, "added": added.status_code, "kept": kept, "dropped": dropped,
                "patched": patched.status_code, "deleted": deleted.status_code}  # fmt: skip

    results = in_parallel([lambda n=n: worker(n) for n in range(64)], workers=64)
    assert {(r["added"], r["patched"], r["deleted"]) for r in results} == {(200, 200, 204)}

    after = served.request("GET", TABLEAU_ALERT, headers=TABLEAU).json()["dataAlert"]
    recipients = [r["id"] for r in after["recipients"]["recipient"]]
    assert set(recipients) == before_ids | {r["user"] for r in results}
    assert len(recipients) == len(set(recipients))

    listed = {a["id"]: a for a in served.request("GET", APP, headers=SCALINGO).json()["alerts"]}
    for n, r in enumerate(results):
        assert listed[r["kept"]]["limit"] == 1000 + n
        assert r["dropped"] not in listed
        assert served.request("GET", f"{APP}/{r['dropped']}", headers=SCALINGO).status_code == 404


def test_killing_a_worker_loses_nothing_acknowledged(serve: Callable[..., Served], redis_url: str) -> None:
    served = serve("--workers", "2", "--state", redis_url)
    created = in_parallel(
        [lambda i=i: served.request("POST", APP, json=alert_body(i), headers=SCALINGO) for i in range(100)]
    )
    assert [r.status_code for r in created] == [201] * 100
    victim = served.workers()[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{victim}") and time.monotonic() < deadline:
        time.sleep(0.05)

    def survivor_get(path: str) -> Answer:
        # A connection the dead worker had accepted may be refused: ask again, as a client would.
        for _ in range(20):
            try:
                return served.request("GET", path, headers=SCALINGO)
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"no process answered GET {path}")

    read = [survivor_get(f"{APP}/{r.json()['alert']['id']}") for r in created]
    assert [r.status_code for r in read] == [200] * 100
    assert [r.json()["alert"]["limit"] for r in read] == list(range(100))


def test_a_worker_restarted_with_a_state_file_loads_nothing_over_the_shared_state(
    serve: Callable[..., Served], redis_url: str, tmp_path: Path
) -> None:
    # The state file is loaded once for all the processes: a worker uvicorn restarts after a crash
    # must not load it again over what the mock has acknowledged since.
    fixtures = serve("--state", redis_url).request("GET", "/__mock/state").json()["collections"]
    state_file = tmp_path / "sessions.json"
    state_file.write_text(json.dumps({"format": "alertmock-state/1", "sessions": {"default": fixtures}}))
    served = serve("--workers", "2", "--state", redis_url, "--state-file", str(state_file))
    created = served.request("POST", APP, json=alert_body(7), headers=SCALINGO)
    assert created.status_code == 201
    victim = served.workers()[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (victim in served.workers() or len(served.workers()) < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(served.workers()) == 2, "uvicorn did not restart the worker"
    seen = processes_answering(served)
    assert len(seen) == 2
    path = f"{APP}/{created.json()['alert']['id']}"
    assert {served.request("GET", path, headers=SCALINGO).status_code for _ in range(20)} == {200}
