"""Two processes on one Redis (two `RedisSessions`, each with its own cache): what one writes, the
other reads on its next request, however much it had cached; a write based on what another
process has changed since is not applied."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from alertmock.state.redis_backend import RedisSessions
from alertmock.state.store import RetryHoldingLock

from .conftest import Redis, redis_sessions

FIXTURES = {"v.things": [{"id": "f1", "n": 1}, {"id": "f2", "n": 2}], "v.other": [{"id": "o1"}]}


def two_processes(url: str, scenario: Callable[[RedisSessions, RedisSessions], Awaitable[None]]) -> None:
    def process() -> RedisSessions:
        return redis_sessions(url, FIXTURES)

    async def run() -> None:
        a, b = process(), process()
        try:
            await scenario(a, b)
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_what_one_process_writes_the_other_reads_next_request(redis_url: str) -> None:
    async def scenario(a: RedisSessions, b: RedisSessions) -> None:
        first = await a.open()
        assert (await first.get("v.things", "f1"))["n"] == 1
        assert [r["n"] for r in await first.list("v.things")] == [1, 2]
        assert await first.count("v.things") == 2
        # Cached now: the same request, and the next one, read without asking Redis.
        again = await a.open()
        assert again.cache.answer("v.things", again.versions["v.things"], "f1") == {"id": "f1", "n": 1}

        await (await b.open()).put("v.things", "f1", {"id": "f1", "n": 10})
        await (await b.open()).delete("v.things", "f2")
        await (await b.open()).put("v.things", "f3", {"id": "f3", "n": 3})

        later = await a.open()
        assert (await later.get("v.things", "f1"))["n"] == 10
        assert await later.get("v.things", "f2") is None
        assert [r["n"] for r in await later.list("v.things")] == [10, 3]
        assert await later.count("v.things") == 2
        assert await later.get("v.other", "o1") == {"id": "o1"}  # another kind: still cached, still right

        # A reset (or a wiped store) makes a new epoch: nothing cached before it is used.
        await b.reset()
        assert (await (await a.open()).get("v.things", "f1"))["n"] == 1

    two_processes(redis_url, scenario)


def test_a_write_on_what_another_process_changed_is_not_applied(redis_url: str) -> None:
    async def scenario(a: RedisSessions, b: RedisSessions) -> None:
        mine = await a.open(writing=True)
        thing = await mine.get("v.things", "f1")
        assert thing is not None
        await mine.put("v.things", "f1", {**thing, "n": thing["n"] + 1})
        # Meanwhile another process changes the kind that request read.
        await (await b.open()).put("v.things", "f2", {"id": "f2", "n": 20})
        with pytest.raises(RetryHoldingLock):
            await mine.settle()
        assert (await (await b.open()).get("v.things", "f1"))["n"] == 1  # nothing written

        # Run again (as the engine does, holding the lock): applied.
        again = await a.open(writing=True)
        async with a.writing("default"):
            thing = await again.get("v.things", "f1")
            await again.put("v.things", "f1", {**thing, "n": thing["n"] + 1})
            await again.settle()
        assert (await (await b.open()).get("v.things", "f1"))["n"] == 2

        # Unrelated kinds do not conflict: a write reading only v.other goes through.
        other = await a.open(writing=True)
        await other.get("v.other", "o1")
        await other.put("v.other", "o2", {"id": "o2"})
        await (await b.open()).put("v.things", "f2", {"id": "f2", "n": 21})
        await other.settle()
        assert await (await b.open()).get("v.other", "o2") == {"id": "o2"}

    two_processes(redis_url, scenario)


def test_a_process_trusts_nothing_it_cached_once_redis_is_another_server(own_redis: Redis) -> None:
    """Restored from an older RDB, a Redis has the session at the same epoch and an older version
    of a kind; written again, the kind reaches a version this process cached other records under."""

    async def scenario(a: RedisSessions, b: RedisSessions) -> None:
        assert (await (await a.open()).get("v.things", "f1"))["n"] == 1
        own_redis.save()
        await (await b.open()).put("v.things", "f1", {"id": "f1", "n": 10})
        assert (await (await a.open()).get("v.things", "f1"))["n"] == 10  # cached at the version after

        own_redis.stop()
        own_redis.start()  # from the RDB saved above: f1 back at n 1, the kind at the version before
        await asyncio.sleep(0.05)  # the processes' event loop sees their connections closed
        await (await b.open()).put("v.things", "f1", {"id": "f1", "n": 20})  # that version again
        assert (await (await a.open()).get("v.things", "f1"))["n"] == 20

    two_processes(own_redis.url, scenario)
