"""Redis going away under a running mock, and coming back empty: answered, never crashed on.

A redis-server of this test's own (the session's is shared by the other tests), stopped under
load from two workers, then started again empty on the same port.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .conftest import Redis, Served

APP = "/v1/apps/5ab1128fdccb8b0001111963/alerts"
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
SUBSCRIPTION = "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba"
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd", "Accept": "application/json"}
TABLEAU_SITE = "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts"
RECREATED = "re-created from the fixtures"


class Load:
    """Clients sending reads and writes without pause from a few threads, noting every status."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in range(6)]

    def _run(self, n: int) -> None:
        while not self._stop.is_set():
            try:
                if n % 3 == 0:
                    body = {"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": n}}
                    status = self.served.request("POST", APP, json=body, headers=SCALINGO).status_code
                elif n % 3 == 1:
                    status = self.served.request("GET", SUBSCRIPTION, headers=MATATIKA).status_code
                else:
                    status = self.served.request("GET", TABLEAU_SITE, headers=TABLEAU).status_code
                self.statuses[status] += 1
            except OSError as error:
                self.errors[type(error).__name__] += 1

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def test_redis_stopped_under_load_then_back_empty(
    serve: Callable[..., Served], own_redis: Redis, tmp_path: Path
) -> None:
    served = serve("--workers", "2", "--state", f"redis://127.0.0.1:{own_redis.port}/0")
    log = next(tmp_path.glob(f"serve-{served.port}.log"))
    with Load(served) as before:
        time.sleep(1.0)
    assert set(before.statuses) == {200, 201}, before.statuses

    with Load(served) as during:
        time.sleep(0.5)
        own_redis.stop()
        time.sleep(1.5)
        statuses_while_down = Counter(during.statuses)
    assert during.statuses[503] > 0 and 500 not in during.statuses, during.statuses
    assert not during.errors, during.errors  # every request answered, none dropped

    # While down: the vendors' 503s in their own error form, with Retry-After; not ready; alive.
    down = served.request("GET", SUBSCRIPTION, headers=MATATIKA)
    assert down.status_code == 503 and down.headers["retry-after"] == "1"
    assert "state store" in down.json()["message"]  # Matatika's (Spring's) error body
    scalingo = served.request("GET", APP, headers=SCALINGO)
    assert scalingo.status_code == 503 and "state store" in scalingo.json()["error"]
    ready = served.request("GET", "/__mock/ready")
    assert ready.status_code == 503 and ready.headers["retry-after"] == "1"
    health = served.request("GET", "/__mock/health")
    assert health.status_code == 200 and health.json()["store"] == "down"

    # Back, empty (no persistence): the demo credentials work again within a second, on both
    # workers, the fixtures seeded once, and what is written after that stays.
    own_redis.start()
    back = time.monotonic()
    while served.request("GET", SUBSCRIPTION, headers=MATATIKA).status_code != 200:
        assert time.monotonic() - back < 1.0, "not serving within a second of Redis returning"
        time.sleep(0.02)
    with Load(served) as after:
        time.sleep(1.0)
    assert set(after.statuses) == {200, 201}, after.statuses
    assert own_redis.get("am:seeded") == b"$1\r\n1\r\n"  # the default session, created once
    created = after.statuses[201]
    listed = served.request("GET", APP, headers=SCALINGO).json()["alerts"]
    assert len(listed) >= created  # no second seeding wiped what was created after the first
    assert served.request("GET", "/__mock/ready").status_code == 200
    assert served.request("GET", "/__mock/health").json()["store"] == "up"

    text = log.read_text()
    assert "Traceback" not in text
    assert text.count(RECREATED) == 1, text
    # One line per request (the access log) and one per change of the store's state per worker.
    assert text.count("unavailable") <= 2 and text.count("reachable again") <= 2
    assert sum(statuses_while_down.values()) > 0
