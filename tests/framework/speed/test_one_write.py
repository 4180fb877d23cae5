"""`alertmock serve` answers with one write per response (alertmock/framework/speed/one_write.py), and the
answers are what uvicorn's own protocol sends: kept-alive and pipelined requests, head-only answers,
streamed bodies, ``Expect: 100-continue``."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from alertmock.framework.speed.one_write import _HeadHeld, http_protocol
from tests.servers import LiveServer, live_server

SCALINGO = b"Authorization: Basic OnRrLXVzLWRlbW8tdG9rZW4=\r\n"
CREATE_BODY = b'{"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": 1000}}'


class Recorded:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def held() -> tuple[_HeadHeld, Recorded, list[str]]:
    transport, completed = Recorded(), []
    return _HeadHeld(transport, lambda: completed.append("done")), transport, completed  # type: ignore[arg-type]


def test_head_and_body_go_out_in_one_write() -> None:
    cycle, transport, completed = held()
    cycle.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    assert transport.writes == []
    cycle.write(b"{}")
    cycle.complete()
    assert transport.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"] and completed == ["done"]


def test_an_interim_head_goes_at_once_and_a_head_only_answer_at_its_end() -> None:
    cycle, transport, _ = held()
    cycle.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]  # the client waits for it
    cycle.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    cycle.complete()
    assert transport.writes[1:] == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_later_chunks_go_at_once_and_closing_writes_a_held_head_first() -> None:
    cycle, transport, _ = held()
    cycle.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
    cycle.write(b"2\r\n{}\r\n")
    cycle.write(b"HTTP/1.1 looks like a head but is a chunk")
    assert len(transport.writes) == 2
    other, closing, _ = held()
    other.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
    other.close()
    assert closing.writes == [b"HTTP/1.1 500 Internal Server Error\r\n\r\n"] and closing.closed


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    assert http_protocol().endswith(":OneWriteHttpToolsProtocol")  # what `serve` runs here
    with live_server("--quiet") as running:
        yield running


def _exchange(server: LiveServer, raw: bytes, methods: list[bytes], *, first: bytes | None = None) -> list[bytes]:
    """Send `raw` on one connection and read the complete answers of its requests (`methods`, in
    order: a HEAD's answer has no body whatever its content-length)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        received = b""
        if first is not None:  # headers first, the rest once the server said to go on
            sock.sendall(first)
            while b"\r\n\r\n" not in received:
                received += sock.recv(65536)
            assert received.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
            received = received.removeprefix(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(raw)
        found: list[bytes] = []
        while len(found) < len(methods):
            head, separator, rest = received.partition(b"\r\n\r\n")
            if separator:
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                no_body = head.split(b" ")[1] in (b"204", b"304") or methods[len(found)] == b"HEAD"
                size = 0 if no_body else length
                if len(rest) >= size:
                    found.append(head + b"\r\n\r\n" + rest[:size])
                    received = rest[size:]
                    continue
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {len(found)} answers"
            received += chunk
        return found


def test_pipelined_requests_get_their_answers_in_order(server: LiveServer) -> None:
    raw = (
        b"GET /__mock/health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"HEAD /__mock/health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST /v1/apps/5ab1128fdccb8b0001111963/alerts HTTP/1.1\r\nHost: x\r\n" + SCALINGO + b"Content-Type: "
        b"application/json\r\nContent-Length: " + str(len(CREATE_BODY)).encode() + b"\r\n\r\n" + CREATE_BODY
    )
    health, head_only, created = _exchange(server, raw, [b"GET", b"HEAD", b"POST"])
    assert health.startswith(b"HTTP/1.1 200 OK\r\n") and health.endswith(b"}")
    assert head_only.startswith(b"HTTP/1.1 200 OK\r\n") and head_only.endswith(b"\r\n\r\n")
    assert created.startswith(b"HTTP/1.1 201 Created\r\n") and b'"limit":1000' in created


def test_expect_100_continue_gets_its_interim_answer_before_the_body(server: LiveServer) -> None:
    headers = (
        b"POST /v1/apps/5ab1128fdccb8b0001111963/alerts HTTP/1.1\r\nHost: x\r\n" + SCALINGO + b"Content-Type: "
        b"application/json\r\nExpect: 100-continue\r\nContent-Length: " + str(len(CREATE_BODY)).encode() + b"\r\n\r\n"
    )
    (created,) = _exchange(server, CREATE_BODY, [b"POST"], first=headers)
    assert created.startswith(b"HTTP/1.1 201 Created\r\n")
