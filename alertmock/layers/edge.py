"""The edge of every request: one log line per request, and the client's connection itself.

Like Prism, the mock prints what it answered, ``GET /api/jobs/1 200 3 ms`` (the method coloured on
a terminal), measured outside everything else so CORS preflights and faults show too. ``--quiet``
turns it off (the benchmark runs quiet: a line per request is a few per cent of a simple GET).

A fault that drops the connection (``PUT /__mock/faults {"rules": [{"drop": ...}]}``) must look to
the client like a real drop: no status, no headers. ASGI has no message for that, so the layer the
server calls (`alertmock/layers/front.py`) keeps the server's own ``send`` in the scope and
`drop_connection` closes its transport (uvicorn's request cycle holds it). Where there is none
(an in-process test client), it returns False and the caller cuts the answer short instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from starlette.types import Message, Scope, Send

from alertmock.contract.redaction import Secrets, redact_query

logger = logging.getLogger("alertmock.access")

SERVER_SEND = "alertmock.server_send"
_COLOURS = {"GET": "32", "POST": "33", "PUT": "34", "PATCH": "36", "DELETE": "31", "OPTIONS": "90", "HEAD": "90"}


def log_request(scope: Scope, status: int, started: float, secrets: Secrets | None = None) -> None:
    """The access log line of one request (`started`: its `time.perf_counter()`); a query parameter
    that `secrets` names a credential is printed as its fingerprint."""
    query = scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
    if query and secrets is not None:
        query = redact_query(query, secrets)
    logger.info(
        "%s %s%s %s %.0f ms",
        scope["method"],
        scope["path"],
        "?" + query if query else "",
        status or "dropped",
        (time.perf_counter() - started) * 1000,
    )


class StatusSeen:
    """A `send` noting the answer's status (0: none started yet, or the connection was dropped)."""

    __slots__ = ("send", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


async def drop_connection(scope: Scope) -> bool:
    """Close the client's connection without an answer; False where the server gives no way to."""
    cycle: Any = getattr(scope.get(SERVER_SEND), "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        return False
    transport.close()
    # The server notices on a later turn of the event loop; until it has, returning without an
    # answer would make it send a 500 of its own.
    for turn in range(200):
        if cycle.disconnected:
            break
        # A turn or two normally; on a loaded machine, a few milliseconds more.
        await asyncio.sleep(0 if turn < 10 else 0.005)
    return True


class AccessLogFormatter(logging.Formatter):
    """The line as it is, with the method coloured when the output is a terminal."""

    def __init__(self, colour: bool) -> None:
        super().__init__("%(message)s")
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if not self.colour:
            return line
        method, _, rest = line.partition(" ")
        return f"\033[{_COLOURS.get(method, '0')}m{method}\033[0m {rest}"


def log_requests_to(stream: Any) -> None:
    """Print the access log to `stream` (the CLI's stdout); once per process."""
    if logger.handlers:
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessLogFormatter(colour=hasattr(stream, "isatty") and stream.isatty()))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
