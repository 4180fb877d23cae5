"""The request journal: what clients sent and what they got, so tests can assert on it.

Bounded (the oldest entries go first) and shared by all sessions; each entry names its session
and a caller only ever sees and clears its own.

Every request is recorded but few are ever read back, so an entry keeps the raw values (the
ASGI header list, the body bytes, the clock's datetime) and is turned into JSON-ready data only
when someone asks for it.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_BODY_CHARS = 64 * 1024


@dataclass(slots=True)
class Entry:
    id: int
    time: datetime
    session: str
    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes | str  # str: already decoded and cut to what the journal shows
    status: int
    duration_ms: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "session": self.session,
            "method": self.method,
            "path": self.path,
            "query": self.query.decode("latin-1"),
            # A repeated header keeps its last value, as a JSON object must.
            "headers": {name.decode("latin-1"): value.decode("latin-1") for name, value in self.headers},
            "body": self.body if isinstance(self.body, str) else _text(self.body),
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
        }


def _text(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    return text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "…"


class Journal:
    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(
        self,
        *,
        time: datetime,
        session: str,
        method: str,
        path: str,
        query: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        status: int,
        duration_ms: float,
    ) -> None:
        # A body longer than the journal shows is cut now, so an entry stays small whatever was sent.
        kept: bytes | str = _text(body) if len(body) > MAX_BODY_CHARS else body
        self._entries.append(
            Entry(next(self._ids), time, session, method, path, query, headers, kept, status, duration_ms)
        )

    def entries(self, session: str, *, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """Oldest first; `path` may be a glob (``/api/jobs/*``)."""
        wanted = method.upper() if method is not None else None
        return [
            e.as_json()
            for e in self._entries
            if e.session == session
            and (wanted is None or e.method == wanted)
            and (path is None or fnmatch.fnmatchcase(e.path, path))
        ]

    def clear(self, session: str) -> int:
        kept = [e for e in self._entries if e.session != session]
        removed = len(self._entries) - len(kept)
        self._entries.clear()
        self._entries.extend(kept)
        return removed
