"""uvicorn's httptools protocol, answering with one write where it made two.

uvicorn's request cycle writes a response's head when the app sends ``http.response.start`` and
its body when the app sends ``http.response.body``: two system calls for every answer, about 12 µs
of system time per request under the benchmark's load (`python -m bench`, server CPU per request
read from /proc, with and without). This protocol hands each request cycle a transport that holds
the head back until the cycle's next write (the body's first chunk) or the end of the response, and
writes the two together. Nothing else changes: the same bytes in the same order, on the same
connection; an interim ``100 Continue`` (which the client waits for) and anything written after
the head go out at once; closing the transport writes a held head first.

Only request cycles are touched: what the protocol writes itself (a 400 for an unparsable request)
and a connection upgraded to WebSocket keep the plain transport.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

__all__ = ["http_protocol"]

_INTERIM = b"HTTP/1.1 1"  # 1xx heads are not the answer's: written as they come

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # uvicorn without its "standard" extra: h11, two writes
    HttpToolsProtocol = None


def http_protocol() -> str:
    """What to give `uvicorn.Config(http=...)`: this protocol (as an import string, which worker
    processes can import too), or uvicorn's own choice where httptools is missing."""
    return f"{__name__}:OneWriteHttpToolsProtocol" if HttpToolsProtocol is not None else "auto"


if HttpToolsProtocol is not None:

    class OneWriteHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc, valid-type]
        def on_headers_complete(self) -> None:
            before = self.cycle
            super().on_headers_complete()
            cycle = self.cycle
            if cycle is not before:  # a request cycle was made (not an upgrade)
                held = _HeadHeld(cycle.transport, cycle.on_response)
                cycle.transport = held
                cycle.on_response = held.complete


class _HeadHeld:
    """One request cycle's transport: its head waits for the next write or the response's end."""

    __slots__ = ("_head", "_on_response", "_transport", "_waiting")

    def __init__(self, transport: asyncio.Transport, on_response: Callable[[], None]) -> None:
        self._transport = transport
        self._on_response = on_response
        self._head: bytes | None = None
        self._waiting = True  # for the cycle's head: its first write that is not a 1xx

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head + data)
        elif self._waiting and not data.startswith(_INTERIM):
            self._waiting = False
            self._head = bytes(data)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head)

    def complete(self) -> None:
        """The cycle's `on_response`: the answer is complete (a head-only one is written now)."""
        self.flush()
        self._on_response()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
