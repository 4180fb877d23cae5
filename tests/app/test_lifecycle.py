"""Readiness, the state file, and a graceful stop on SIGTERM, with the app's real lifespan."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from alertmock import Config, create_app
from tests.servers import free_port, wait_until_healthy

SCALINGO_DEMO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
TEAM_B = {"X-Mock-Session": "team-b"}


def test_ready_only_between_start_up_and_shutdown(tmp_path: Path) -> None:
    app = create_app(Config(seed=1))
    outside = TestClient(app, raise_server_exceptions=False)  # no lifespan: never started
    answer = outside.get("/__mock/ready")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert outside.get("/__mock/health").status_code == 200  # alive all the same
    with TestClient(create_app(Config(seed=1, admin_token="t"))) as started:
        answer = started.get("/__mock/ready")  # open, like health, even with an admin token
        assert answer.status_code == 200
        assert answer.json()["status"] == "ready" and answer.json()["operations"] > 32


def _snapshot(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    return client.get("/__mock/state", headers=headers).json()["collections"]


def test_the_state_file_keeps_every_session_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "alertmock.json"
    with TestClient(create_app(Config(seed=1, state_file=path))) as client:
        assert (
            client.post("/__mock/seed", json={"kind": "scalingo.alerts", "count": 3}, headers=TEAM_B).status_code == 201
        )
        alert = client.get("/v1/apps/example-app/alerts", headers=SCALINGO_DEMO).json()["alerts"][0]
        assert client.delete(f"/v1/apps/example-app/alerts/{alert['id']}", headers=SCALINGO_DEMO).status_code == 204
        before = {"default": _snapshot(client, {}), "team-b": _snapshot(client, TEAM_B)}
    assert json.loads(path.read_text())["sessions"].keys() == {"default", "team-b"}
    # Another seed: ids generated at start-up differ, so nothing below can come from the fixtures.
    with TestClient(create_app(Config(seed=2, state_file=path))) as client:
        assert {"default": _snapshot(client, {}), "team-b": _snapshot(client, TEAM_B)} == before
        assert client.get(f"/v1/apps/example-app/alerts/{alert['id']}", headers=SCALINGO_DEMO).status_code == 404


def test_a_state_file_that_is_not_one_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"something": "else"}')
    try:
        with TestClient(create_app(Config(state_file=path))):
            raise AssertionError("started")
    except ValueError as exc:
        assert "not an alertmock state file" in str(exc)


def _serve(port: int, state_file: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTMOCK_")}
    command = [sys.executable, "-m", "alertmock.cli", "serve", "--port", str(port), "--state-file", str(state_file)]
    command += ["--shutdown-timeout", "2"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _call(url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    # http.client, closed whatever happens: a request cut by the shutdown must not leave a socket
    # for the garbage collector to warn about in some later test.
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(
            method, parts.path, body=data, headers={"Content-Type": "application/json", **(headers or {})}
        )
        answer = connection.getresponse()
        raw = answer.read()
        is_json = answer.getheader("content-type", "").endswith("json")
        return answer.status, json.loads(raw) if is_json else raw
    finally:
        connection.close()


def test_sigterm_finishes_requests_in_flight_and_saves_the_state(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _serve(port, state_file) as server:
        wait_until_healthy(base, server)
        assert _call(f"{base}/__mock/seed", "POST", {"kind": "scalingo.alerts", "count": 4}, TEAM_B)[0] == 201
        seeded = _call(f"{base}/__mock/state", headers=TEAM_B)[1]["collections"]
        in_flight: dict[str, Any] = {}

        def request_taking(ms: int) -> None:
            try:
                headers = {**SCALINGO_DEMO, "Prefer": f"delay={ms}"}
                in_flight[ms] = _call(f"{base}/v1/apps/example-app/alerts", headers=headers)
            except OSError as exc:
                in_flight[ms] = exc

        callers = [threading.Thread(target=request_taking, args=(ms,)) for ms in (800, 60_000)]
        for caller in callers:
            caller.start()
        time.sleep(0.4)  # both requests are being answered
        sent = time.monotonic()
        server.send_signal(signal.SIGTERM)
        # uvicorn re-raises the signal once it has shut down: the exit status says "stopped by SIGTERM".
        assert server.wait(timeout=30) in (0, -signal.SIGTERM), server.stdout.read() if server.stdout else ""
        stopped_after = time.monotonic() - sent
        for caller in callers:
            caller.join(timeout=10)
        # The short request got its answer; the endless one was cut at --shutdown-timeout (2 s).
        assert in_flight[800][0] == 200 and in_flight[800][1]["alerts"]
        # (uvicorn answers a request it had to cancel with its own plain 500, or drops the connection.)
        assert isinstance(in_flight[60_000], OSError) or in_flight[60_000][0] == 500, in_flight[60_000]
        assert 1.5 < stopped_after < 10
    assert json.loads(state_file.read_text())["sessions"]["team-b"] == seeded

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _serve(port, state_file) as server:
        try:
            wait_until_healthy(base, server)
            assert _call(f"{base}/__mock/ready")[0] == 200
            assert _call(f"{base}/__mock/state", headers=TEAM_B)[1]["collections"] == seeded
        finally:
            server.terminate()
