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


class SessionCache:
    """One session's cached answers: kind -> (version, {key: answer}), at one epoch."""

    __slots__ = ("epoch", "kinds")

    def __init__(self, epoch: bytes) -> None:
        self.epoch = epoch
        self.kinds: dict[str, tuple[int, dict[Hashable, Any]]] = {}

    def lookup(self, kind: str, version: int, key: Hashable) -> Any:
        entry = self.kinds.get(kind)
        if entry is None or entry[0] != version:
            return MISSING
        return entry[1].get(key, MISSING)

    def keep(self, kind: str, version: int, key: Hashable, answer: Any) -> None:
        entry = self.kinds.get(kind)
        if entry is None or entry[0] < version or len(entry[1]) >= MAX_PER_KIND:
            entry = self.kinds[kind] = (version, {})
        elif entry[0] > version:
            return  # read before a write another request has already seen: not kept
        entry[1][key] = answer


class Caches:
    """Every session's cache in this process, bounded; a new epoch starts a session's over."""

    def __init__(self) -> None:
        self._sessions: OrderedDict[str, SessionCache] = OrderedDict()

    def known(self, session: str) -> bool:
        return session in self._sessions

    def at(self, session: str, epoch: bytes) -> SessionCache:
        cache = self._sessions.get(session)
        if cache is None or cache.epoch != epoch:
            cache = self._sessions[session] = SessionCache(epoch)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return cache
