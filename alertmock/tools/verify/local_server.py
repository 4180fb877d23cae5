"""The mock on a real socket for the length of a run: uvicorn on a free port in a daemon thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from alertmock.tools.verify.stops import VerifyError


@contextlib.contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", *, lifespan: str = "off") -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port in a daemon thread; yields its base URL.

    `lifespan="on"` runs the app's start-up and shut-down (`alertmock proxy` closes its upstream
    connections there)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False, lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise VerifyError("the mock did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
