"""The Redis backend of the `State` seam behaves as the in-memory one (tests/state/test_store.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from alertmock.contract.generation import Generator
from alertmock.state.clock import Clock
from alertmock.state.faults import FaultRule
from alertmock.state.ids import Ids
from alertmock.state.redis_backend import RedisSessions
from alertmock.state.store import DEFAULT_SESSION

FIXTURES = {"v.things": [{"id": "f1", "n": 1, "tags": []}, {"id": "f2", "n": 2}]}
CHILDREN = {"v.kids": [{"id": f"k{i}", "parent": {"id": f"p{i % 3}"}, "n": i} for i in range(9)]}


def with_sessions(
    url: str, scenario: Callable[[RedisSessions], Awaitable[None]], fixtures: Any = FIXTURES, **options: Any
) -> None:
    async def run() -> None:
        settings = {"cap": 10_000, "max_sessions": 100, "idle_seconds": 3600.0, **options}
        sessions = RedisSessions(
            url,
            fixtures,
            journal_size=100,
            clock=Clock.parse("2026-06-10T07:08:13Z"),
            ids=Ids(1),
            generator=Generator(1),
            seed=1,
            **settings,
        )
        try:
            await scenario(sessions)
        finally:
            await sessions.close()

    asyncio.run(run())


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in records]


def test_put_get_list_delete_keep_records_exactly(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        state = await sessions.open()
        assert await state.get("v.things", "f1") == {"id": "f1", "n": 1, "tags": []}  # [] stays a list
        await state.put("v.things", "x", {"id": "x", "n": 3.5, "nested": {"a": [1, None]}})
        await state.put("v.things", "f1", {"id": "f1", "n": 10})  # replacing keeps the place
        assert [r["n"] for r in await state.list("v.things")] == [10, 2, 3.5]
        assert await state.get("v.things", "x") == {"id": "x", "n": 3.5, "nested": {"a": [1, None]}}
        assert await state.delete("v.things", "x") == {"id": "x", "n": 3.5, "nested": {"a": [1, None]}}
        assert await state.delete("v.things", "x") is None
        assert await state.kinds() == ["v.things"]

    with_sessions(redis_url, scenario)


def test_cap_evicts_oldest_created_records_and_keeps_fixtures(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        state = await sessions.open()
        for i in range(30):
            await state.put("v.things", f"c{i}", {"id": f"c{i}"})
        assert ids(await state.list("v.things")) == ["f1", "f2", "c27", "c28", "c29"]

    with_sessions(redis_url, scenario, cap=5)


def test_lists_by_parent_follow_puts_deletes_moves_and_evictions(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        state = await sessions.open()
        on_p1 = {"parent.id": "p1"}
        assert ids(await state.list("v.kids", where=on_p1)) == ["k1", "k4", "k7"]
        assert ids(await state.list("v.kids", where=on_p1, offset=1, limit=1)) == ["k4"]
        await state.put("v.kids", "new", {"id": "new", "parent": {"id": "p1"}})
        await state.put("v.kids", "k4", {"id": "k4", "parent": {"id": "p2"}})
        await state.delete("v.kids", "k7")
        assert ids(await state.list("v.kids", where=on_p1)) == ["k1", "new"]
        for i in range(3):
            await state.put("v.kids", f"x{i}", {"id": f"x{i}", "parent": {"id": "p1"}})
        assert ids(await state.list("v.kids", where=on_p1)) == ["k1", "x1", "x2"]
        assert await state.count("v.kids", where=on_p1) == 3
        assert await state.count("v.kids") == 10

    with_sessions(redis_url, scenario, fixtures=CHILDREN, cap=10)


def test_export_load_and_reset(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        state = await sessions.open("a")
        await state.count("v.things", where={"n": "1"})  # an index, rebuilt after the load
        await state.load({"v.things": [{"id": "z", "n": "1"}], "v.other": [{"id": "o"}]})
        assert await state.export() == {"v.things": [{"id": "z", "n": "1"}], "v.other": [{"id": "o"}]}
        assert ids(await state.list("v.things", where={"n": "1"})) == ["z"]
        state = await sessions.reset("a")
        assert await state.export() == {"v.things": FIXTURES["v.things"]}

    with_sessions(redis_url, scenario)


def test_sessions_are_bounded_expire_and_the_default_survives(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        await sessions.open(DEFAULT_SESSION)
        for name in ("a", "b", "c", "d"):
            await (await sessions.open(name)).put("v.things", "mine", {"id": "mine"})
        names = await sessions.names()
        assert len(names) == 3 and DEFAULT_SESSION in names and "d" in names
        assert await (await sessions.open("a")).get("v.things", "mine") is None  # gone, made anew

    with_sessions(redis_url, scenario, max_sessions=3)

    async def idle(sessions: RedisSessions) -> None:
        await (await sessions.open("old")).put("v.things", "x", {"id": "x"})
        await asyncio.sleep(1.2)
        await sessions.open("new")
        assert "old" not in await sessions.names()

    with_sessions(redis_url, idle, idle_seconds=1.0)


def test_clock_faults_and_journal_are_shared_by_processes(redis_url: str) -> None:
    async def scenario(sessions: RedisSessions) -> None:
        other = RedisSessions(
            redis_url, FIXTURES, cap=100, max_sessions=10, idle_seconds=60, journal_size=100,
            clock=Clock.parse("2030-01-01T00:00:00Z"), ids=Ids(1), generator=Generator(1), seed=1,
        )  # fmt: skip
        try:
            await sessions.open()
            await other.open()
            assert other.clock.now() == sessions.clock.now()  # the first process's clock wins
            await sessions.clock.advance(90)
            await other.open()
            assert (other.clock.now() - Clock.parse("2026-06-10T07:08:13Z").now()).total_seconds() == 90
            await sessions.faults.set(DEFAULT_SESSION, [FaultRule(path="/x", error_rate=1.0)])
            await other.open()
            assert other.faults.judge(DEFAULT_SESSION, "GET", "/x").error_status == 503
            assert sessions.ids.uuid4() != other.ids.uuid4()  # each process its own id sequence
        finally:
            await other.close()

    with_sessions(redis_url, scenario)
