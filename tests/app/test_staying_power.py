"""Staying power: memory stays bounded under a create loop, and concurrent writes are neither lost nor torn.

The memory tests create far more records than the store's cap through the HTTP API and check
that the collection stays at the cap, the fixtures survive, and the traced Python heap does not
grow. The concurrency test runs the app on a real uvicorn server on 127.0.0.1 and drives it
with 64 concurrent connections mixing creates, updates, reads and deletes; every create must
stay readable with its last written value until it is deleted, and the counts must add up.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import tracemalloc
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.tools.verify import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
ENGINE_APP = ROOT / "tests" / "engine" / "app"


SCALINGO_AUTH = ("", "tk-us-demo-token")
SCALINGO_APP = "5ab1128fdccb8b0001111963"  # example-app, owned by the demo token's user
SCALINGO_ALERTS = f"/v1/apps/{SCALINGO_APP}/alerts"
CAP = 40


def _new_alert(n: int) -> dict[str, Any]:
    return {"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": 1000 + n}}


def _traced_growth(create: Any, warm: int, measured: int) -> int:
    """Bytes still allocated after `measured` creates, counted from after `warm` creates.

    Tracing starts before the warm-up, so the bounded structures (store, journal) are already
    full of traced objects when the baseline is taken, and replacing them counts nothing.
    """
    tracemalloc.start()
    try:
        for n in range(warm):
            create(n)
        gc.collect()
        baseline, _ = tracemalloc.get_traced_memory()
        for n in range(warm, warm + measured):
            create(n)
        gc.collect()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current - baseline


def test_widgets_create_loop_stays_at_the_cap_and_keeps_the_fixtures() -> None:
    """The engine alone (its tiny test contract): no vendor file needed."""
    config = Config(spec=ENGINE_APP / "openapi.yaml", fixtures=ENGINE_APP / "fixtures", collection_cap=CAP, seed=3)
    config = config.with_overrides(journal_size=50)
    with TestClient(create_app(config), raise_server_exceptions=False) as client:
        key = {"X-Key": "good-key"}

        def create(n: int) -> None:
            answer = client.post("/w/items", json={"item": {"name": f"n{n}", "size": n}}, headers=key)
            assert answer.status_code == 201, answer.text

        growth = _traced_growth(create, warm=3 * CAP, measured=10 * CAP)
        items = client.get("/w/items", headers=key).json()["items"]["item"]
        ids = [item["id"] for item in items]

    assert len(ids) == CAP
    assert ids[:2] == ["w1", "w2"], "fixtures are evicted last, so they are still there, first"
    # The newest records are kept: the last create is the last item.
    assert items[-1]["name"] == f"n{3 * CAP + 10 * CAP - 1}"
    assert growth < 64 * 1024, f"heap grew by {growth} bytes over {10 * CAP} creates past the cap"


def test_scalingo_create_loop_stays_at_the_cap_and_keeps_the_fixtures() -> None:
    app = create_app(Config(collection_cap=CAP, journal_size=50, seed=5, clock="2026-06-10T07:08:13Z@x1"))
    with TestClient(app, raise_server_exceptions=False) as client:
        fixtures = [a["id"] for a in client.get(SCALINGO_ALERTS, auth=SCALINGO_AUTH).json()["alerts"]]
        assert fixtures, "the documented alert of example-app is a fixture"

        def create(n: int) -> None:
            answer = client.post(SCALINGO_ALERTS, json=_new_alert(n), auth=SCALINGO_AUTH)
            assert answer.status_code == 201, answer.text

        growth = _traced_growth(create, warm=3 * CAP, measured=10 * CAP)
        listed = [a["id"] for a in client.get(SCALINGO_ALERTS, auth=SCALINGO_AUTH).json()["alerts"]]
        state = client.get("/__mock/state").json()["collections"]

    # The cap is per collection: all of Scalingo's alerts (every app) count towards it.
    assert len(state["scalingo.alerts"]) == CAP
    assert set(fixtures) <= set(listed), "fixtures survive eviction"
    assert growth < 64 * 1024, f"heap grew by {growth} bytes over {10 * CAP} creates past the cap"


# --- 64 concurrent connections against a real server -------------------------------------------

CONNECTIONS = 64
ROUNDS = 4


def live_server(config: Config) -> AbstractContextManager[str]:
    """The app on uvicorn, on a free port of 127.0.0.1, in a background thread (verify's own)."""
    return serve_in_thread(create_app(config))


async def _worker(client: httpx.AsyncClient, worker: int, log: dict[str, Any]) -> None:
    """Creates, then reads, updates, re-reads and sometimes deletes its own alerts."""
    for round_number in range(ROUNDS):
        created = await client.post(SCALINGO_ALERTS, json=_new_alert(worker))
        assert created.status_code == 201, created.text
        alert_id = created.json()["alert"]["id"]
        log["created"].append(alert_id)
        read = await client.get(f"{SCALINGO_ALERTS}/{alert_id}")
        assert read.status_code == 200, f"a 201 must be readable at once: {read.status_code} {read.text}"
        limit = worker * 1000 + round_number
        updated = await client.patch(f"{SCALINGO_ALERTS}/{alert_id}", json={"alert": {"limit": limit}})
        assert updated.status_code == 200, updated.text
        log["limits"][alert_id] = limit
        reread = (await client.get(f"{SCALINGO_ALERTS}/{alert_id}")).json()["alert"]
        assert (reread["limit"], reread["container_type"]) == (limit, "web"), f"torn write: {reread}"
        if (worker + round_number) % 3 == 0:
            deleted = await client.delete(f"{SCALINGO_ALERTS}/{alert_id}")
            assert deleted.status_code == 204, deleted.text
            log["deleted"].add(alert_id)
            gone = await client.get(f"{SCALINGO_ALERTS}/{alert_id}")
            assert gone.status_code == 404, gone.text


def test_64_concurrent_connections_lose_and_tear_no_write() -> None:
    config = Config(seed=11, clock="2026-06-10T07:08:13Z@x1")
    with live_server(config) as base:

        async def drive() -> dict[str, Any]:
            log: dict[str, Any] = {"created": [], "deleted": set(), "limits": {}}
            limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
            async with httpx.AsyncClient(
                base_url=base, auth=SCALINGO_AUTH, limits=limits, timeout=httpx.Timeout(30.0)
            ) as client:
                before = (await client.get(SCALINGO_ALERTS)).json()["alerts"]
                await asyncio.wait_for(
                    asyncio.gather(*(_worker(client, w, log) for w in range(CONNECTIONS))), timeout=120
                )
                log["before"] = before
                log["after"] = (await client.get(SCALINGO_ALERTS)).json()["alerts"]
            return log

        log = asyncio.run(drive())

    created, deleted = log["created"], log["deleted"]
    assert len(created) == CONNECTIONS * ROUNDS
    assert len(set(created)) == len(created), "every create got an id of its own"
    after = {a["id"]: a for a in log["after"]}
    survivors = [i for i in created if i not in deleted]
    assert len(after) == len(log["before"]) + len(created) - len(deleted), "counts add up"
    assert all(i in after for i in survivors), "every created alert not deleted is listed"
    assert not deleted & after.keys(), "deleted alerts stay deleted"
    assert [after[i]["limit"] for i in survivors] == [log["limits"][i] for i in survivors], "last writes win"


def test_a_served_request_is_freed_as_it_is_answered_not_by_a_collection() -> None:
    """Under a real server, a request's objects (uvicorn's request cycle, the scope and all it
    holds) go as soon as it is answered, refused or not. Caught in a reference cycle, they would pile up until the
    next collection: megabytes of resident memory under load, and the collector's pauses."""
    with live_server(Config(seed=3)) as base, httpx.Client(base_url=base, auth=SCALINGO_AUTH) as client:
        assert client.get(SCALINGO_ALERTS).status_code == 200  # the connection, kept alive from here
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage, to look at
        try:
            for n in range(10):
                assert client.post(SCALINGO_ALERTS, json=_new_alert(n)).status_code == 201
                assert client.get(SCALINGO_ALERTS).status_code == 200
                # Refused ones too: the validator's error is made without being raised and caught.
                wrong = {"alert": {**_new_alert(n)["alert"], "limit": "many"}}
                assert client.post(SCALINGO_ALERTS, json=wrong).status_code == 422
            gc.collect()
            cyclic = [
                type(o).__name__
                for o in gc.garbage
                if type(o).__name__ == "RequestResponseCycle" or (isinstance(o, dict) and o.get("type") == "http")
            ]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
    assert cyclic == []


def test_live_server_helper_serves_the_engine_contract() -> None:
    """The helper above on the engine's own contract, so it is exercised before the vendors land."""
    config = Config(spec=ENGINE_APP / "openapi.yaml", fixtures=ENGINE_APP / "fixtures", seed=2)
    with live_server(config) as base:

        async def drive() -> list[int]:
            async with httpx.AsyncClient(base_url=base, headers={"X-Key": "good-key"}) as client:
                answers = await asyncio.gather(
                    *(
                        client.post("/w/items", json={"item": {"name": f"c{n}"}})
                        for n in itertools.islice(itertools.count(), 32)
                    )
                )
                listed = (await client.get("/w/items")).json()["items"]["item"]
            return [a.status_code for a in answers] + [len(listed)]

        statuses = asyncio.run(drive())
    assert statuses[:-1] == [201] * 32
    assert statuses[-1] == 2 + 32
