"""The fast JSON body validator reads, judges and replays a body exactly as the reference one.

`FastJSONBodyValidator.wrap_receive` is a copy of Connexion's (which `StructuredJSONBodyValidator`,
the reference, runs) that reads the messages in a loop and takes a one-message body as it is; these
tests give both the same bodies, split in one message or several, with and without a usable
Content-Length, and compare the verdict and what each replays to the handler.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from alertmock.framework.speed.fast_validators import FastJSONBodyValidator, _declares_a_body
from alertmock.framework.validators import StructuredJSONBodyValidator

SCHEMA = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
VALID = b'{"name": "a", "more": [1, 2.5, {"x": null}]}'


def _split(body: bytes, parts: int) -> list[dict[str, Any]]:
    size = max(1, -(-len(body) // parts))
    chunks = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    return [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]


async def _run(cls: type, messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]]) -> Any:
    pending = list(messages)

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    validator = cls(schema=SCHEMA, required=True, nullable=False, encoding="utf-8", strict_validation=False)
    try:
        replay, scope = await validator.wrap_receive(receive, scope={"type": "http", "headers": headers})
    except Exception as exc:  # the verdict: which error, saying what
        return type(exc).__name__, str(exc)
    replayed = []
    while True:
        message = await replay()
        replayed.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return replayed, scope["headers"]


def _length(body: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]


@pytest.mark.parametrize("parts", [1, 2, 5])
@pytest.mark.parametrize("body", [VALID, b'{"name": 3}', b"{}", b"{bad", b"null", b'{"a": "\xff"}'])
@pytest.mark.parametrize(
    "headers",
    [
        _length,
        lambda body: [],  # no Content-Length: Connexion's own path (the schema's default or a 400)
        lambda body: [(b"content-length", b"0")],
        lambda body: [(b"content-length", b"00")],
        # Duplicates: the first one counts, as Starlette's Headers.get answers Connexion.
        lambda body: [(b"content-length", str(len(body)).encode()), (b"content-length", b"0")],
        lambda body: [(b"content-length", b"0"), (b"content-length", str(len(body)).encode())],
    ],
)
def test_the_fast_validator_answers_and_replays_as_the_reference(parts: int, body: bytes, headers: Any) -> None:
    messages, raw_headers = _split(body, parts), headers(body)
    expected = asyncio.run(_run(StructuredJSONBodyValidator, messages, raw_headers))
    assert asyncio.run(_run(FastJSONBodyValidator, messages, raw_headers)) == expected


def test_the_first_content_length_decides_whether_a_body_is_declared() -> None:
    def declares(*headers: tuple[bytes, bytes]) -> bool:
        return _declares_a_body({"headers": list(headers)})

    assert declares((b"host", b"x"), (b"content-length", b"12"))
    assert not declares((b"host", b"x"))
    assert not declares((b"content-length", b"0"), (b"content-length", b"12"))
    assert declares((b"content-length", b"12"), (b"content-length", b"0"))
    assert not declares((b"content-length", b"twelve"))
