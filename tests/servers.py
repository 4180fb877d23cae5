"""Helpers for tests that run the mock as a real server process (uvicorn on a socket)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(base_url: str, process: subprocess.Popen[str], timeout: float = 60.0) -> dict[str, Any]:
    """Poll ``/__mock/health`` until it answers; fail with the server's output if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{base_url}/__mock/health", timeout=2) as answer:
                return dict(json.load(answer))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError(f"no answer from {base_url}/__mock/health within {timeout} s")


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    printed: str = ""  # everything it printed, once stopped


@contextmanager
def live_server(*flags: str, command: str = "serve", env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """`alertmock serve` (or `command`: proxy) from this checkout as a user runs it, on a free loopback
    port; stopped with Ctrl-C as a user stops it, so `printed` holds its exit output too (the proxy's
    summary)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "alertmock.cli", command, "--port", str(port), "--seed", "1", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_healthy(server.url, process)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            server.printed = process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            server.printed = process.communicate()[0]
