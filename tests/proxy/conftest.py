"""`alertmock proxy` as users run it: the console command on a real uvicorn, in front of upstreams
served by uvicorn on loopback (the real mock, or the real mock with one deliberate defect)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock import Config, create_app
from alertmock.tools.verify.local_server import serve_in_thread

UPSTREAM_CONFIG = Config(seed=1, clock="2026-06-10T07:08:13Z@x1")

SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
TABLEAU_SITE = "13020592-762f-4de4-a25e-f4beb005836e"
SCALINGO_ALERT = "al-297f1134-8576-45ac-ab58-2100b6807683"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningProxy:
    url: str
    process: subprocess.Popen[str]

    def stop(self) -> tuple[int, str]:
        """Interrupt it as a user would (Ctrl-C); its exit code and everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=30)
        return self.process.returncode, out


def start_proxy(*args: str) -> RunningProxy:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "alertmock.cli", "proxy", "--port", str(port), "--seed", "3", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"alertmock proxy exited: {process.communicate()[0]}")
        try:
            if httpx.get(f"{url}/__mock/health", timeout=2).status_code == 200:
                return RunningProxy(url, process)
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("alertmock proxy did not start")
        time.sleep(0.1)


@pytest.fixture(scope="package")
def upstream() -> Iterator[str]:
    """The real mock on loopback: a faithful upstream."""
    with serve_in_thread(create_app(UPSTREAM_CONFIG)) as url:
        yield url


Mutation = Callable[[int, list[tuple[bytes, bytes]], bytes], tuple[int, list[tuple[bytes, bytes]], bytes]]


class Defective:
    """The real mock, with one answer per listed (method, path) altered before it leaves."""

    def __init__(self, app: ASGIApp, mutations: dict[tuple[str, str], Mutation]) -> None:
        self.app = app
        self.mutations = mutations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        mutate = self.mutations.get((scope.get("method", ""), scope.get("path", "")))
        if scope["type"] != "http" or mutate is None:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, hold)
        status, headers, body = mutate(start["status"], list(start["headers"]), b"".join(chunks))
        headers = [(n, v) for n, v in headers if n.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _json_edit(edit: Callable[[Any], None]) -> Mutation:
    def mutate(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
        data = json.loads(body)
        edit(data)
        return status, headers, json.dumps(data).encode()

    return mutate


def _status(new: int) -> Mutation:
    return lambda status, headers, body: (new, headers, body)


def _content_type(new: bytes) -> Mutation:
    return lambda status, headers, body: (
        status,
        [(n, new if n.lower() == b"content-type" else v) for n, v in headers],
        body,
    )


def _without_namespace(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    return status, headers, body.replace(b' xmlns="http://tableau.com/api"', b"")


# Each defect on its own route, so each exchange shows exactly one.
DEFECTS: dict[tuple[str, str], Mutation] = {
    ("GET", f"/v1/apps/example-app/alerts/{SCALINGO_ALERT}"): _json_edit(lambda d: d["alert"].pop("metric")),
    ("GET", "/v1/apps/example-app/alerts"): _json_edit(lambda d: d["alerts"][0].update(limit="high")),
    ("GET", "/api/subscriptions"): _status(418),
    ("GET", f"/api/3.12/sites/{TABLEAU_SITE}/dataAlerts"): _without_namespace,
    ("GET", "/api/3.12/serverinfo"): _content_type(b"text/html; charset=utf-8"),
}


@pytest.fixture(scope="package")
def broken_upstream() -> Iterator[str]:
    with serve_in_thread(Defective(create_app(UPSTREAM_CONFIG), DEFECTS)) as url:
        yield url


@pytest.fixture(scope="package")
def faithful_proxy(upstream: str) -> Iterator[str]:
    proxy = start_proxy("--upstream", upstream)
    yield proxy.url
    proxy.stop()


@pytest.fixture(scope="package")
def broken_proxy(broken_upstream: str) -> Iterator[str]:
    proxy = start_proxy("--upstream", broken_upstream)
    yield proxy.url
    proxy.stop()
