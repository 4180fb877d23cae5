"""A process's cache of what it read from Redis, right across processes by construction.

Every write of a kind raises that kind's version in Redis, in the same script as the write; every
session has an epoch, new whenever the session is created, reset or loaded (a wiped store makes
new epochs too). A read script returns the kind's version with what it read, atomically, and the
scripts that open a session or take its lock return the epoch and every kind's version. A cached
answer is used only while its kind's version, as the request's open (or lock) read it, is the one
it was read at: no other process can have changed the kind in between, or the version would
differ. The cost is a few dozen bytes more per open; a GET of an unchanged record, a list of an
unchanged collection, the token and user every request looks up, are no round trip at all.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

# Answers kept per kind of a session (past it the kind starts over), and sessions kept.
MAX_PER_KIND = 4096
MAX_SESSIONS = 64
MISSING: Any = object()
# An epoch no session has (the scripts' epochs are "<process>:<n>"): a cache at it is never used.
_FORGOTTEN = b"\x00"


class _Kind:
    """A kind's cached answers at one version: records by id (a string), lists and counts by a
    tuple saying which."""

    __slots__ = ("derived", "records", "version")

    def __init__(self, version: int) -> None:
        self.version = version
        self.records: dict[str, Any] = {}
        self.derived: dict[Hashable, Any] = {}

    def answers(self, key: Hashable) -> dict[Any, Any]:
        # Apart because a write of one record keeps the other records but no list or count.
        return self.records if isinstance(key, str) else self.derived


class SessionCache:
    """One session's cached answers, kind by kind, at one epoch."""

    __slots__ = ("epoch", "kinds")

    def __init__(self, epoch: bytes) -> None:
        self.epoch = epoch
        self.kinds: dict[str, _Kind] = {}

    def answer(self, kind: str, version: int, key: Hashable) -> Any:
        """The record `key` names (its id), or the list or count (a tuple), cached at `version`;
        else MISSING."""
        entry = self.kinds.get(kind)
        return MISSING if entry is None or entry.version != version else entry.answers(key).get(key, MISSING)

    def _at(self, kind: str, version: int) -> _Kind | None:
        entry = self.kinds.get(kind)
        if entry is None or entry.version < version:
            entry = self.kinds[kind] = _Kind(version)
        elif entry.version > version:
            return None  # read before a write another request has already seen: not kept
        return entry

    def keep(self, kind: str, version: int, key: Hashable, answer: Any) -> None:
        entry = self._at(kind, version)
        if entry is not None:
            kept = entry.answers(key)
            if len(kept) >= MAX_PER_KIND:
                kept.clear()
            kept[key] = answer

    def wrote(self, kind: str, version: int, id: str, record: Any, only_that: bool) -> None:
        """This request's write of `id` made the kind `version`. If the cache was at the version
        just before, nothing else happened in between (each write raises the version by one), so
        the other records it holds are still right when the write changed only that record (no
        eviction); lists and counts are not."""
        entry = self.kinds.get(kind)
        if only_that and entry is not None and entry.version == version - 1:
            entry.version = version
            entry.derived = {}
        else:
            entry = self.kinds[kind] = _Kind(version)
        entry.records[id] = record


class Caches:
    """Every session's cache in this process, bounded; a new epoch starts a session's over."""

    def __init__(self) -> None:
        self._sessions: OrderedDict[str, SessionCache] = OrderedDict()

    def forget(self) -> None:
        """Nothing cached is used again; which sessions were known is kept (the log says when one
        of them had to be re-created)."""
        for session in self._sessions:
            self._sessions[session] = SessionCache(_FORGOTTEN)

    def known(self, session: str) -> bool:
        return session in self._sessions

    def at(self, session: str, epoch: bytes) -> SessionCache:
        cache = self._sessions.get(session)
        if cache is None or cache.epoch != epoch:
            cache = self._sessions[session] = SessionCache(epoch)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return cache
