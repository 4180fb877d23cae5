"""The scripts' own connection to Redis (alertmock/state/redis_pipeline.py): what it reads of a
URL, and the scripts reaching a server whatever it lets them run."""

from __future__ import annotations

import asyncio
import ssl

import pytest

from alertmock.state.redis_backend import RedisSessions
from alertmock.state.redis_pipeline import Endpoint

from .conftest import Redis, _command, redis_sessions

FIXTURES = {"v.things": [{"id": "f1", "n": 1}]}


def test_a_url_says_where_redis_is_and_nothing_the_connection_would_ignore() -> None:
    plain = Endpoint.parse("redis://user:secret@example.test:6380/3")
    assert (plain.host, plain.port, plain.db, plain.username, plain.password, plain.tls) == (
        "example.test",
        6380,
        3,
        "user",
        "secret",
        None,
    )
    assert Endpoint.parse("unix:///run/redis.sock?db=2").path == "/run/redis.sock"
    unverified = Endpoint.parse("rediss://example.test?ssl_cert_reqs=none").tls
    assert unverified is not None and unverified.verify_mode == ssl.CERT_NONE
    with pytest.raises(ValueError, match="socket_timeout"):
        Endpoint.parse("redis://example.test/0?socket_timeout=3")
    with pytest.raises(ValueError, match="rediss://"):
        Endpoint.parse("redis://example.test/0?ssl_cert_reqs=none")


def _sessions(url: str) -> RedisSessions:
    return redis_sessions(url, FIXTURES)


def _round(url: str) -> None:
    async def run() -> None:
        sessions = _sessions(url)
        try:
            state = await sessions.open(writing=True)
            thing = await state.get("v.things", "f1")
            assert thing is not None
            await state.put("v.things", "f1", {**thing, "n": thing["n"] + 1})
            await state.settle()
        finally:
            await sessions.close()

    asyncio.run(run())


def test_without_functions_the_scripts_are_sent_whole(own_redis: Redis) -> None:
    # An ACL user who may not load functions (as Redis before 7 has none): EVALSHA, then EVAL.
    rule = b"ACL SETUSER mock on >pw ~* &* +@all -function\r\n"
    assert _command(own_redis.port, rule).startswith(b"+OK")
    url = f"redis://mock:pw@127.0.0.1:{own_redis.port}/0"
    _round(url)
    _round(url)
    assert _command(own_redis.port, b"FUNCTION LIST\r\n") == b"*0\r\n"
    assert own_redis.get("am:seeded") == b"$1\r\n1\r\n"
    assert b'"n":3' in _command(own_redis.port, b"HGET am:s:default:r:v.things f1\r\n")


def test_a_library_flushed_under_a_running_process_is_loaded_again(own_redis: Redis) -> None:
    async def run() -> None:
        sessions = _sessions(own_redis.url)
        try:
            assert await (await sessions.open()).get("v.things", "f1") == {"id": "f1", "n": 1}
            assert _command(own_redis.port, b"FUNCTION FLUSH\r\n").startswith(b"+OK")
            await (await sessions.open()).put("v.things", "f2", {"id": "f2"})
            assert await (await sessions.open()).count("v.things") == 2
        finally:
            await sessions.close()

    asyncio.run(run())
