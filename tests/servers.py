"""Helpers for tests that run the mock as a real server process (uvicorn on a socket)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
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
