"""The in-memory backend of the `State` seam: order, caps, sessions, and lists indexed by parent."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from alertmock.state.memory import MemorySessions, MemoryState
from alertmock.state.store import DEFAULT_SESSION

FIXTURES = {"v.things": [{"id": "f1", "n": 1}, {"id": "f2", "n": 2}]}
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in records]


def test_put_get_list_delete() -> None:
    state = MemoryState(FIXTURES)
    run(state.put("v.things", "x", {"id": "x", "n": 3}))
    assert run(state.get("v.things", "x")) == {"id": "x", "n": 3}
    assert ids(run(state.list("v.things"))) == ["f1", "f2", "x"]
    assert run(state.delete("v.things", "x")) == {"id": "x", "n": 3}
    assert run(state.get("v.things", "x")) is None
    assert run(state.delete("v.things", "x")) is None


def test_replacing_keeps_the_order() -> None:
    state = MemoryState(FIXTURES)
    run(state.put("v.things", "f1", {"id": "f1", "n": 10}))
    assert [r["n"] for r in run(state.list("v.things"))] == [10, 2]


def test_cap_evicts_oldest_created_records_and_keeps_fixtures() -> None:
    state = MemoryState(FIXTURES, cap=5)
    for i in range(1000):
        run(state.put("v.things", f"c{i}", {"id": f"c{i}"}))
    assert ids(run(state.list("v.things"))) == ["f1", "f2", "c997", "c998", "c999"]


def test_fixtures_are_copied_so_sessions_cannot_leak_into_them() -> None:
    sessions = MemorySessions(FIXTURES)
    run(sessions.get("a").put("v.things", "f1", {"id": "f1", "n": 99}))
    assert run(sessions.get("b").get("v.things", "f1")) == {"id": "f1", "n": 1}
    assert FIXTURES["v.things"][0] == {"id": "f1", "n": 1}


def test_export_then_load_round_trips() -> None:
    state = MemoryState(FIXTURES)
    run(state.put("v.other", "o", {"id": "o"}))
    copy = MemoryState({})
    run(copy.load(run(state.export())))
    assert run(copy.export()) == run(state.export())


def test_reset_goes_back_to_the_fixtures() -> None:
    sessions = MemorySessions(FIXTURES)
    run(sessions.get().delete("v.things", "f1"))
    assert run(run(sessions.reset()).get("v.things", "f1")) is not None


def test_sessions_are_bounded_and_the_default_survives() -> None:
    sessions = MemorySessions(FIXTURES, max_sessions=3)
    sessions.get(DEFAULT_SESSION)
    for name in ("a", "b", "c", "d"):
        run(sessions.open(name))
    names = run(sessions.names())
    assert len(names) == 3
    assert DEFAULT_SESSION in names
    assert "d" in names


def test_idle_sessions_expire() -> None:
    clock = [0.0]
    sessions = MemorySessions(FIXTURES, idle_seconds=10, monotonic=lambda: clock[0])
    run(sessions.get("old").put("v.things", "x", {"id": "x"}))
    clock[0] = 11
    sessions.get("new")
    assert "old" not in run(sessions.names())
    assert run(sessions.get("old").get("v.things", "x")) is None


# --- lists by parent ------------------------------------------------------------------------------


CHILDREN = {"v.kids": [{"id": f"k{i}", "parent": {"id": f"p{i % 3}"}, "n": i} for i in range(9)]}


def test_where_lists_a_parents_children_oldest_first_and_pages_them() -> None:
    state = MemoryState(CHILDREN)
    on_p1 = {"parent.id": "p1"}
    assert ids(run(state.list("v.kids", where=on_p1))) == ["k1", "k4", "k7"]
    assert ids(run(state.list("v.kids", where=on_p1, offset=1, limit=1))) == ["k4"]
    assert run(state.count("v.kids", where=on_p1)) == 3
    assert run(state.list("v.kids", where={"parent.id": "nobody"})) == []


def test_the_index_follows_puts_deletes_moves_and_evictions() -> None:
    state = MemoryState(CHILDREN, cap=10)
    on_p1 = {"parent.id": "p1"}
    run(state.count("v.kids", where=on_p1))  # the index exists from here on
    run(state.put("v.kids", "new", {"id": "new", "parent": {"id": "p1"}}))
    run(state.put("v.kids", "k4", {"id": "k4", "parent": {"id": "p2"}}))  # moved to another parent
    run(state.delete("v.kids", "k7"))
    assert ids(run(state.list("v.kids", where=on_p1))) == ["k1", "new"]
    for i in range(3):  # past the cap: the oldest (fixtures last) go, from the index too
        run(state.put("v.kids", f"x{i}", {"id": f"x{i}", "parent": {"id": "p1"}}))
    assert ids(run(state.list("v.kids", where=on_p1))) == ["k1", "x1", "x2"]
    assert run(state.count("v.kids")) == 10


def test_a_record_without_the_field_is_in_no_list() -> None:
    state = MemoryState({"v.kids": [{"id": "a"}, {"id": "b", "parent": {"id": 3}}]})
    assert run(state.count("v.kids", where={"parent.id": "3"})) == 0


def test_load_rebuilds_the_indexes() -> None:
    state = MemoryState(CHILDREN)
    run(state.count("v.kids", where={"parent.id": "p0"}))
    run(state.load({"v.kids": [{"id": "z", "parent": {"id": "p0"}}]}))
    assert ids(run(state.list("v.kids", where={"parent.id": "p0"}))) == ["z"]
