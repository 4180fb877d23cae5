"""`alertmock serve` over real HTTP: one log line per request, and a dropped connection that is one."""

from __future__ import annotations

import httpx
import pytest

from tests.servers import live_server

MATATIKA = {"Authorization": "Bearer matatika-demo-token"}


def test_one_line_per_request_then_quiet() -> None:
    with live_server() as server:
        httpx.get(f"{server.url}/api/subscriptions?size=2", headers=MATATIKA)
        httpx.get(f"{server.url}/api/subscriptions/00000000-0000-0000-0000-000000000000", headers=MATATIKA)
    lines = server.printed.splitlines()
    assert lines[0].startswith("alertmock on http://127.0.0.1:")  # the banner, once bound
    logged = [line for line in lines if line.startswith(("GET ", "POST "))]
    assert logged[-2].startswith("GET /api/subscriptions?size=2 200 ")
    assert logged[-1].startswith("GET /api/subscriptions/00000000-0000-0000-0000-000000000000 404 ")
    assert all(line.endswith(" ms") for line in logged)
    assert "\033[" not in "".join(logged)  # no colours when the output is not a terminal

    with live_server("--quiet") as server:
        httpx.get(f"{server.url}/api/subscriptions", headers=MATATIKA)
    assert not [line for line in server.printed.splitlines() if line.startswith("GET ")]


def test_a_dropped_connection_gets_no_answer_at_all() -> None:
    with live_server() as server:
        httpx.put(f"{server.url}/__mock/faults", json={"rules": [{"path": "/api/subscriptions", "drop": {"rate": 1}}]})
        with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
            httpx.get(f"{server.url}/api/subscriptions", headers={**MATATIKA, "Origin": "http://localhost:3000"})
        journal = httpx.get(f"{server.url}/__mock/requests?limit=1").json()["requests"]
        # The server still serves, and knows what it did.
        assert (journal[0]["fault"], journal[0]["status"]) == ("drop", 0)
    output = server.printed
    assert "GET /api/subscriptions dropped" in output
    assert " 500 " not in output and "returned without" not in output and "Traceback" not in output
