from __future__ import annotations

from alertmock.store import DEFAULT_SESSION, Sessions, State

FIXTURES = {"v.things": [{"id": "f1", "n": 1}, {"id": "f2", "n": 2}]}


def test_put_get_list_delete() -> None:
    state = State(FIXTURES)
    state.put("v.things", "x", {"id": "x", "n": 3})
    assert state.get("v.things", "x") == {"id": "x", "n": 3}
    assert [r["id"] for r in state.list("v.things")] == ["f1", "f2", "x"]
    assert state.delete("v.things", "x") == {"id": "x", "n": 3}
    assert state.get("v.things", "x") is None
    assert state.delete("v.things", "x") is None


def test_replacing_keeps_the_order() -> None:
    state = State(FIXTURES)
    state.put("v.things", "f1", {"id": "f1", "n": 10})
    assert [r["n"] for r in state.list("v.things")] == [10, 2]


def test_cap_evicts_oldest_created_records_and_keeps_fixtures() -> None:
    state = State(FIXTURES, cap=5)
    for i in range(1000):
        state.put("v.things", f"c{i}", {"id": f"c{i}"})
    ids = [r["id"] for r in state.list("v.things")]
    assert len(ids) == 5
    assert ids == ["f1", "f2", "c997", "c998", "c999"]


def test_fixtures_are_copied_so_sessions_cannot_leak_into_them() -> None:
    sessions = Sessions(FIXTURES)
    sessions.get("a").put("v.things", "f1", {"id": "f1", "n": 99})
    assert sessions.get("b").get("v.things", "f1") == {"id": "f1", "n": 1}
    assert FIXTURES["v.things"][0] == {"id": "f1", "n": 1}


def test_export_then_load_round_trips() -> None:
    state = State(FIXTURES)
    state.put("v.other", "o", {"id": "o"})
    copy = State({})
    copy.load(state.export())
    assert copy.export() == state.export()


def test_reset_goes_back_to_the_fixtures() -> None:
    sessions = Sessions(FIXTURES)
    sessions.get().delete("v.things", "f1")
    assert sessions.reset().get("v.things", "f1") is not None


def test_sessions_are_bounded_and_the_default_survives() -> None:
    sessions = Sessions(FIXTURES, max_sessions=3)
    sessions.get(DEFAULT_SESSION)
    for name in ("a", "b", "c", "d"):
        sessions.get(name)
    assert len(sessions.names()) == 3
    assert DEFAULT_SESSION in sessions.names()
    assert "d" in sessions.names()


def test_idle_sessions_expire() -> None:
    clock = [0.0]
    sessions = Sessions(FIXTURES, idle_seconds=10, monotonic=lambda: clock[0])
    sessions.get("old").put("v.things", "x", {"id": "x"})
    clock[0] = 11
    sessions.get("new")
    assert "old" not in sessions.names()
    assert sessions.get("old").get("v.things", "x") is None
