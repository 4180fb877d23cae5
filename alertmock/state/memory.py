"""The in-memory backend: one process, nothing awaits, so a handler's read-modify-write is atomic
on the event loop. Collections are bounded; the oldest non-fixture records are evicted first."""

from __future__ import annotations

import contextlib
import copy
import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager

from alertmock.state.store import (
    DEFAULT_COLLECTION_CAP,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_SESSION,
    DEFAULT_SESSION_IDLE_SECONDS,
    Record,
    Sessions,
    Snapshot,
    State,
    Where,
    field_value,
    where_field,
)

# value -> ids of the records holding it, in the order they got it (a dict used as an ordered set)
_Index = dict[str, dict[str, None]]
_NOTHING: AbstractAsyncContextManager[None] = contextlib.nullcontext()


class MemoryState(State):
    def __init__(self, snapshot: Mapping[str, list[Record]], *, cap: int = DEFAULT_COLLECTION_CAP) -> None:
        self.cap = cap
        # Ordered dicts: eviction takes the oldest records, and a plain dict whose front keeps being
        # deleted makes every later scan from the front walk over the holes (4 µs a put at the cap,
        # against 1 µs here).
        self._collections: dict[str, OrderedDict[str, Record]] = {}
        # kind -> field -> index; built on the first `where` on that field, then kept up to date.
        self._indexes: dict[str, dict[str, _Index]] = {}
        self._fixture_ids: dict[str, frozenset[str]] = {}
        self._load(snapshot)
        self._fixture_ids = {kind: frozenset(col) for kind, col in self._collections.items()}

    def _load(self, snapshot: Mapping[str, list[Record]]) -> None:
        self._collections = {
            kind: OrderedDict((str(record["id"]), copy.deepcopy(record)) for record in records)
            for kind, records in snapshot.items()
        }
        self._indexes = {}

    async def load(self, snapshot: Mapping[str, list[Record]]) -> None:
        self._load(snapshot)

    async def export(self) -> Snapshot:
        return {kind: [copy.deepcopy(r) for r in col.values()] for kind, col in self._collections.items()}

    async def get(self, kind: str, id: str) -> Record | None:
        collection = self._collections.get(kind)
        return None if collection is None else collection.get(id)

    async def list(
        self, kind: str, *, where: Where | None = None, offset: int = 0, limit: int | None = None
    ) -> list[Record]:
        collection = self._collections.get(kind)
        if not collection:
            return []
        stop = None if limit is None else offset + limit
        if where is None:
            if offset == 0 and stop is None:
                return list(collection.values())
            return list(itertools.islice(collection.values(), offset, stop))
        ids = self._index(kind, collection, *where_field(where))
        return list(map(collection.__getitem__, itertools.islice(ids, offset, stop)))

    async def count(self, kind: str, *, where: Where | None = None) -> int:
        collection = self._collections.get(kind)
        if not collection:
            return 0
        if where is None:
            return len(collection)
        return len(self._index(kind, collection, *where_field(where)))

    async def put(self, kind: str, id: str, record: Record) -> Record:
        collection = self._collections.get(kind)
        if collection is None:
            collection = self._collections[kind] = OrderedDict()
        indexes = self._indexes.get(kind)
        if indexes:
            old = collection.get(id)
            for path, index in indexes.items():
                before = None if old is None else field_value(old, path)
                after = field_value(record, path)
                if before != after:
                    if before is not None:
                        _unindex(index, before, id)
                    if after is not None:
                        index.setdefault(after, {})[id] = None
        collection[id] = record
        if len(collection) > self.cap:
            self._evict(kind, collection)
        return record

    async def delete(self, kind: str, id: str) -> Record | None:
        record = self._collections.get(kind, {}).pop(id, None)
        if record is not None:
            self._drop_from_indexes(kind, id, record)
        return record

    async def kinds(self) -> list[str]:
        return list(self._collections)

    def _index(self, kind: str, collection: OrderedDict[str, Record], path: str, value: str) -> dict[str, None]:
        indexes = self._indexes.setdefault(kind, {})
        index = indexes.get(path)
        if index is None:
            index = indexes[path] = {}
            for rid, record in collection.items():
                key = field_value(record, path)
                if key is not None:
                    index.setdefault(key, {})[rid] = None
        return index.get(value, {})

    def _drop_from_indexes(self, kind: str, id: str, record: Record) -> None:
        for path, index in self._indexes.get(kind, {}).items():
            key = field_value(record, path)
            if key is not None:
                _unindex(index, key, id)

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
            self._drop_from_indexes(kind, rid, collection.pop(rid))


def _unindex(index: _Index, key: str, id: str) -> None:
    ids = index.get(key)
    if ids is not None:
        ids.pop(id, None)
        if not ids:
            del index[key]


class MemorySessions(Sessions):
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
        self._states: OrderedDict[str, tuple[MemoryState, float]] = OrderedDict()

    async def open(self, name: str = DEFAULT_SESSION, *, writing: bool = False) -> MemoryState:
        return self.get(name)

    def get(self, name: str = DEFAULT_SESSION) -> MemoryState:
        """`open` without the await, for callers outside a request (tests, the CLI)."""
        now = self._monotonic()
        entry = self._states.get(name)
        if entry is None:
            self._expire(now)
            state = MemoryState(self._fixtures, cap=self._cap)
        else:
            state = entry[0]
            self._states.move_to_end(name)
        self._states[name] = (state, now)
        return state

    async def reset(self, name: str = DEFAULT_SESSION) -> MemoryState:
        self._states.pop(name, None)
        return self.get(name)

    async def names(self) -> list[str]:
        return list(self._states)

    def writing(self, name: str) -> AbstractAsyncContextManager[None]:
        # One process, no await between a handler's read and its write: nothing to hold.
        return _NOTHING

    async def close(self) -> None:
        pass

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
