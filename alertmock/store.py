"""In-memory state: one `State` per mock session, each a set of bounded collections.

A collection is a kind (``"<vendor>.<kind>"``) mapping ids to JSON-able dict records, in
insertion order. Nothing here awaits, so a handler's read-modify-write is atomic on the event
loop. A shared backend (Redis, say) would implement the same `State` methods; handlers only ever
see this interface, through `alertmock.current_state()`.
"""

from __future__ import annotations

import copy
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

Record = dict[str, Any]
Snapshot = dict[str, list[Record]]

DEFAULT_COLLECTION_CAP = 10_000
DEFAULT_MAX_SESSIONS = 100
DEFAULT_SESSION_IDLE_SECONDS = 3600.0
DEFAULT_SESSION = "default"


class State:
    """One session's data. Records are stored as given; treat what `get` returns as read-only."""

    def __init__(self, snapshot: Mapping[str, list[Record]], *, cap: int = DEFAULT_COLLECTION_CAP) -> None:
        self.cap = cap
        # Ordered dicts: eviction takes the oldest records, and a plain dict whose front keeps being
        # deleted makes every later scan from the front walk over the holes (4 µs a put at the cap,
        # against 1 µs here).
        self._collections: dict[str, OrderedDict[str, Record]] = {}
        self._fixture_ids: dict[str, frozenset[str]] = {}
        self.load(snapshot, as_fixtures=True)

    def load(self, snapshot: Mapping[str, list[Record]], *, as_fixtures: bool = False) -> None:
        """Replace everything with `snapshot`; its records count as fixtures if `as_fixtures`."""
        self._collections = {
            kind: OrderedDict((str(record["id"]), copy.deepcopy(record)) for record in records)
            for kind, records in snapshot.items()
        }
        if as_fixtures:
            self._fixture_ids = {kind: frozenset(col) for kind, col in self._collections.items()}

    def export(self) -> Snapshot:
        return {kind: [copy.deepcopy(r) for r in col.values()] for kind, col in self._collections.items()}

    def get(self, kind: str, id: str) -> Record | None:
        collection = self._collections.get(kind)
        return None if collection is None else collection.get(id)

    def list(self, kind: str) -> list[Record]:
        """All records of `kind`, oldest first."""
        return list(self._collections.get(kind, {}).values())

    def count(self, kind: str) -> int:
        return len(self._collections.get(kind, ()))

    def put(self, kind: str, id: str, record: Record) -> Record:
        """Insert or replace; a replaced record keeps its place in the order."""
        collection = self._collections.get(kind)
        if collection is None:
            collection = self._collections[kind] = OrderedDict()
        collection[id] = record
        if len(collection) > self.cap:
            self._evict(kind, collection)
        return record

    def delete(self, kind: str, id: str) -> Record | None:
        return self._collections.get(kind, {}).pop(id, None)

    def kinds(self) -> list[str]:
        return list(self._collections)

    def _evict(self, kind: str, collection: OrderedDict[str, Record]) -> None:
        # Fixtures are what the documents' examples rely on: they go last, if ever. A plain loop:
        # at the cap this runs on every insert.
        protected = self._fixture_ids.get(kind, frozenset())
        excess = len(collection) - self.cap
        victims: list[str] = []
        for rid in collection:
            if rid not in protected:
                victims.append(rid)
                if len(victims) == excess:
                    break
        for rid in victims:
            del collection[rid]


class Sessions:
    """Named states, each created from the fixtures on first use; bounded in number and idle time."""

    def __init__(
        self,
        fixtures: Mapping[str, list[Record]],
        *,
        cap: int = DEFAULT_COLLECTION_CAP,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        idle_seconds: float = DEFAULT_SESSION_IDLE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fixtures = {kind: list(records) for kind, records in fixtures.items()}
        self._cap = cap
        self._max_sessions = max_sessions
        self._idle_seconds = idle_seconds
        self._monotonic = monotonic
        self._states: OrderedDict[str, tuple[State, float]] = OrderedDict()

    def get(self, name: str = DEFAULT_SESSION) -> State:
        now = self._monotonic()
        entry = self._states.get(name)
        if entry is None:
            self._expire(now)
            state = State(self._fixtures, cap=self._cap)
        else:
            state = entry[0]
            self._states.move_to_end(name)
        self._states[name] = (state, now)
        return state

    def reset(self, name: str = DEFAULT_SESSION) -> State:
        self._states.pop(name, None)
        return self.get(name)

    def names(self) -> list[str]:
        return list(self._states)

    def _expire(self, now: float) -> None:
        # The default session is what requests without a session see: it never expires.
        for name, (_, seen) in list(self._states.items()):
            if name != DEFAULT_SESSION and now - seen > self._idle_seconds:
                del self._states[name]
        while len(self._states) >= self._max_sessions:
            oldest = next((n for n in self._states if n != DEFAULT_SESSION), None)
            if oldest is None:
                break
            del self._states[oldest]
