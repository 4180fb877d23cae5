"""`negotiation.bytes_response` is the `Response` Starlette builds for the same body, status and media type."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.responses import Response

from alertmock.contract.negotiation import bytes_response

MEDIA_TYPES = [
    "application/json",
    "application/hal+json",
    "application/problem+json",
    "application/xml",
    "text/plain",
    "text/plain; charset=latin-1",
    "text/csv; Charset=utf-8",
    "application/x-ndjson",
]
STATUSES = [100, 200, 201, 202, 204, 304, 400, 404, 500]
BODIES: list[Any] = [b"", b'{"a":1}', "<a>\u00e9</a>"]


def _sent(response: Response) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(response({"type": "http", "method": "GET", "path": "/"}, receive, send))  # type: ignore[arg-type]
    return messages


def _attributes(response: Response) -> dict[str, Any]:
    return {
        "type": type(response),
        "status_code": response.status_code,
        "media_type": response.media_type,
        "background": response.background,
        "body": response.body,
        "raw_headers": response.raw_headers,
        "headers": response.headers.items(),
    }


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("body", BODIES, ids=["empty", "json", "text"])
def test_a_bytes_response_is_starlettes_response(media_type: str, status: int, body: Any) -> None:
    expected = Response(body, status_code=status, headers={}, media_type=media_type)
    got = bytes_response(body, status, media_type)
    assert _attributes(got) == _attributes(expected)
    assert _sent(got) == _sent(expected)


def test_its_headers_can_be_changed_afterwards_as_a_responses_can() -> None:
    # The error boundary adds headers (`Allow`, challenges) to a rendered response.
    got, expected = bytes_response(b"{}", 405, "application/json"), Response(b"{}", 405, media_type="application/json")
    for response in (got, expected):
        response.headers["Allow"] = "GET"
    assert got.raw_headers == expected.raw_headers
