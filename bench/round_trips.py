"""Commands a redis-server receives, counted with MONITOR: the round trips alertmock pays.

A script counts once (the commands it runs inside the server are MONITOR lines of the "lua"
client, not counted); so does anything a process sends on its own (the journal's batches), which
is why a count is taken over a run of requests and divided by them. Used by
`python -m bench --backends` and by tests/state/shared/test_round_trips.py.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid

_TIMEOUT = 10.0


class CommandCounter:
    """MONITOR on a connection of its own, counting every command but the scripts' inner ones
    and its own markers; `settle` waits until everything sent so far has been seen."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self._address = (host, port)
        self._monitor = socket.create_connection(self._address, timeout=_TIMEOUT)
        self._monitor.sendall(b"MONITOR\r\n")
        self._seen: set[str] = set()
        self._count = 0
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        buffer = b""
        try:
            while True:
                chunk = self._monitor.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                *lines, buffer = buffer.split(b"\r\n")
                with self._lock:
                    for line in lines:
                        self._note(line)
                    self._lock.notify_all()
        except OSError:
            return

    def _note(self, line: bytes) -> None:
        if not line.startswith(b"+") or b" [" not in line or line == b"+OK":
            return
        client = line.split(b" [", 1)[1].split(b"]", 1)[0]
        if client.endswith(b" lua"):
            return
        if b'"ECHO" "alertmock-marker-' in line:
            self._seen.add(line.rsplit(b'"ECHO" "', 1)[1].rstrip(b'"').decode())
            return
        self._count += 1

    def settle(self, quiet: float = 0.1) -> int:
        """The count once the mock has had `quiet` seconds to send what it batches, and MONITOR
        has shown everything up to now."""
        time.sleep(quiet)
        marker = f"alertmock-marker-{uuid.uuid4().hex}"
        with socket.create_connection(self._address, timeout=_TIMEOUT) as client:
            client.sendall(f"ECHO {marker}\r\n".encode())
            client.recv(1024)
        deadline = time.monotonic() + _TIMEOUT
        with self._lock:
            while marker not in self._seen:
                if not self._lock.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise TimeoutError("MONITOR did not show the marker")
            return self._count

    def close(self) -> None:
        self._monitor.close()
        self._thread.join(timeout=_TIMEOUT)

    def __enter__(self) -> CommandCounter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
