"""A real redis-server for the shared-state tests, and `alertmock serve` processes that use it.

One redis-server per test session, on a free loopback port in a temporary directory, without
persistence; every test starts from an empty database. Without the binary the tests skip.
"""

from __future__ import annotations

import http.client
import json as _json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from alertmock.contract.generation import Generator
from alertmock.state.clock import Clock
from alertmock.state.ids import Ids
from alertmock.state.redis_backend import RedisSessions

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(port: int, line: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(line)
        return s.recv(256)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [*command, "--dir", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if _command(port, b"PING\r\n").startswith(b"+PONG"):
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Redis:
    """A redis-server of a test's own that can be stopped and started again on the same port:
    empty, or with what `save` last wrote to its directory (an RDB, as a restore would bring)."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary, self.directory, self.port = binary, directory, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if _command(self.port, b"PING\r\n").startswith(b"+PONG"):
                    return
            except OSError:
                time.sleep(0.02)
        pytest.fail("redis-server did not start")

    def save(self) -> None:
        assert _command(self.port, b"SAVE\r\n").startswith(b"+OK")

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()  # as a crash or an OOM kill would: nothing saved, no goodbye
        self.process.wait(timeout=10)

    def get(self, key: str) -> bytes:
        return _command(self.port, f"GET {key}\r\n".encode())


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Redis]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
    server = Redis(binary, tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_url(redis_server: int) -> str:
    """An empty database of the session's redis-server."""
    assert _command(redis_server, b"FLUSHALL\r\n").startswith(b"+OK")
    return f"redis://127.0.0.1:{redis_server}/0"


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    def json(self) -> Any:
        return _json.loads(self.body)


class Served:
    """`alertmock serve` running in a subprocess; each request on a connection of its own, so
    that the kernel spreads them over the workers (plain http.client: an httpx client per
    request costs more than the request)."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Answer:
        body = content if json is None else _json.dumps(json).encode()
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if json is not None else {})}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, response.read(), headers)
        finally:
            connection.close()

    def workers(self) -> list[int]:
        """The worker processes (children of uvicorn's supervisor that serve)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> Served:
        port = free_port()
        with (tmp_path / f"serve-{port}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "alertmock.cli", "serve", "--port", str(port), *args],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                start_new_session=True,
            )
        started.append(process)
        served = Served(process, port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"alertmock serve exited: {(tmp_path / f'serve-{port}.log').read_text()}")
            try:
                if served.request("GET", "/__mock/health").status_code == 200:
                    return served
            except OSError:
                time.sleep(0.1)
        pytest.fail("alertmock serve did not answer within 60 s")

    yield start
    for process in started:
        if process.poll() is None:
            # Its own process group: the supervisor and its workers go together.
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def redis_sessions(url: str, fixtures: dict[str, list[dict[str, Any]]]) -> RedisSessions:
    """One mock process's shared state on `url`, small and on a frozen clock, for the state tests."""
    return RedisSessions(
        url,
        fixtures,
        cap=100,
        max_sessions=10,
        idle_seconds=3600.0,
        journal_size=100,
        clock=Clock.parse("2026-06-10T07:08:13Z"),
        ids=Ids(1),
        generator=Generator(1),
        seed=None,
    )
