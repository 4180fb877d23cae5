"""A Redis that answers but refuses (maxmemory reached with noeviction) is the store's fault: 503s, never 500s."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from .conftest import Served, _command

SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
ALERTS = "/v1/apps/5ab1128fdccb8b0001111963/alerts"


@pytest.fixture
def full_redis(redis_server: int) -> Iterator[Callable[[bool], None]]:
    def fill(full: bool) -> None:
        limit = b"1" if full else b"0"
        assert _command(redis_server, b"CONFIG SET maxmemory " + limit + b"\r\n").startswith(b"+OK")

    yield fill
    fill(False)


def test_a_redis_that_refuses_writes_gets_503s_and_the_mock_recovers(
    serve: Callable[..., Served], redis_url: str, full_redis: Callable[[bool], None]
) -> None:
    served = serve("--state", redis_url, "--quiet")
    assert served.request("GET", ALERTS, headers=SCALINGO).status_code == 200
    full_redis(True)
    body = {"alert": {"container_type": "web", "metric": "cpu", "limit": 1}}
    refused = served.request("POST", ALERTS, headers=SCALINGO, json=body)
    assert refused.status_code == 503, refused.body
    assert served.request("GET", "/__mock/ready").status_code == 503
    assert served.request("GET", "/__mock/health").status_code == 200
    full_redis(False)
    assert served.request("POST", ALERTS, headers=SCALINGO, json=body).status_code == 201


def test_liveness_answers_at_once_while_redis_hangs(
    serve: Callable[..., Served], redis_url: str, redis_server: int
) -> None:
    served = serve("--state", redis_url, "--quiet")
    assert served.request("GET", "/__mock/health").json()["store"] == "up"
    assert _command(redis_server, b"CLIENT PAUSE 2500 ALL\r\n").startswith(b"+OK")
    started = time.monotonic()
    health = served.request("GET", "/__mock/health")
    # A probe's timeout is a second or two: the process is alive, its store is not answering.
    assert time.monotonic() - started < 2.0
    assert (health.status_code, health.json()["store"]) == (200, "down")
    time.sleep(max(0.0, 2.6 - (time.monotonic() - started)))  # the pause ends by itself (it blocks UNPAUSE too)
    assert served.request("GET", "/__mock/health").json()["store"] == "up"
