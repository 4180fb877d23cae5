"""What one request costs in round trips to Redis, per operation kind, counted by the server.

`alertmock serve --state redis://…` against the session's real redis-server, watched with
MONITOR (bench/round_trips.py): every command a process sends counts, a script once, the
journal's batches included (spread over the requests they carry). Each operation is warmed
once (scripts loaded, the process's cache filled as it would be in use), then sent 20 times.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlparse

from bench.round_trips import CommandCounter

from .conftest import Answer, Served

MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
APP = "/v1/apps/5ab1128fdccb8b0001111963/alerts"
SITE = "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
SITE_ALERT = f"{SITE}/dataAlerts/1a1b1c1d-2e2f-2a2b-3c3d-3e3f4a4b4c4d"
UPDATE_XML = '<tsRequest><dataAlert subject="Shipping" frequency="daily" public="true"/></tsRequest>'
TIMES = 20
READ, LIST, WRITE = 2, 2, 3


def alert(limit: int) -> dict[str, object]:
    return {"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": limit}}


def per_request(counter: CommandCounter, send: Callable[[int], Answer], expect: int) -> float:
    """Round trips per request over TIMES requests, after one to warm up."""
    assert send(-1).status_code == expect
    before = counter.settle()
    for i in range(TIMES):
        answer = send(i)
        assert answer.status_code == expect, answer.body
    return (counter.settle() - before) / TIMES


def test_round_trips_per_operation(serve: Callable[..., Served], redis_url: str) -> None:
    served = serve("--state", redis_url)
    created = [served.request("POST", APP, json=alert(i), headers=SCALINGO).json()["alert"]["id"] for i in range(50)]
    with CommandCounter(urlparse(redis_url).port or 6379) as counter:
        reads = {
            "matatika GET subscription": lambda _: served.request(
                "GET", "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba", headers=MATATIKA
            ),
            "tableau GET data alert": lambda _: served.request("GET", SITE_ALERT, headers=TABLEAU),
            "scalingo GET alert": lambda _: served.request("GET", f"{APP}/{created[0]}", headers=SCALINGO),
        }
        lists = {
            "tableau XML list of a site": lambda _: served.request(
                "GET", f"{SITE}/dataAlerts?pageSize=20", headers={**TABLEAU, "Accept": "application/xml"}
            ),
            "scalingo list of an app": lambda _: served.request("GET", APP, headers=SCALINGO),
            "matatika list of a dataset": lambda _: served.request(
                "GET", "/api/datasets/e05d715a-457d-49f9-8ecb-5c89649a46df/alerts", headers=MATATIKA
            ),
            "matatika list of a workspace": lambda _: served.request(
                "GET", "/api/workspaces/73bc3927-e760-48f0-9e43-e11e1351e7fb/jobs", headers=MATATIKA
            ),
        }
        costs = {name: (per_request(counter, send, 200), READ) for name, send in reads.items()}
        costs |= {name: (per_request(counter, send, 200), LIST) for name, send in lists.items()}
        costs["scalingo create"] = (
            per_request(counter, lambda i: served.request("POST", APP, json=alert(i), headers=SCALINGO), 201),
            WRITE,
        )
        costs["scalingo update"] = (
            per_request(
                counter,
                lambda i: served.request("PATCH", f"{APP}/{created[1]}", json=alert(1000 + i), headers=SCALINGO),
                200,
            ),
            WRITE,
        )
        costs["tableau XML update"] = (
            per_request(
                counter,
                lambda _: served.request(
                    "PUT",
                    SITE_ALERT,
                    content=UPDATE_XML.encode(),
                    headers={**TABLEAU, "Content-Type": "application/xml"},
                ),
                200,
            ),
            WRITE,
        )
        costs["scalingo delete"] = (
            per_request(counter, lambda i: served.request("DELETE", f"{APP}/{created[i + 3]}", headers=SCALINGO), 204),
            WRITE,
        )

        def update_then_read(i: int) -> Answer:
            # A read right after a write of its kind: nothing cached holds, it pays its own trip.
            patched = served.request("PATCH", f"{APP}/{created[1]}", json=alert(1000 + i), headers=SCALINGO)
            assert patched.status_code == 200
            return served.request("GET", f"{APP}/{created[1]}", headers=SCALINGO)

        costs["scalingo update, then GET it"] = (per_request(counter, update_then_read, 200), WRITE + READ)
    print(json.dumps({name: round(cost, 2) for name, (cost, _) in costs.items()}, indent=1))
    over = {name: cost for name, (cost, budget) in costs.items() if cost > budget}
    assert not over, json.dumps({name: round(cost, 2) for name, (cost, _) in costs.items()}, indent=1)
