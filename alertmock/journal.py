"""The request journal: what clients sent and what they got, so tests can assert on it.

Bounded (the oldest entries go first) and shared by all sessions; each entry names its session
and a caller only ever sees and clears its own.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections import deque
from typing import Any

MAX_BODY_CHARS = 64 * 1024


class Journal:
    def __init__(self, size: int) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(self, entry: dict[str, Any]) -> None:
        entry["id"] = next(self._ids)
        body = entry.get("body")
        if isinstance(body, bytes):
            text = body.decode("utf-8", errors="replace")
            entry["body"] = text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "…"
        self._entries.append(entry)

    def entries(self, session: str, *, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """Oldest first; `path` may be a glob (``/api/jobs/*``)."""
        return [
            e
            for e in self._entries
            if e["session"] == session
            and (method is None or e["method"] == method.upper())
            and (path is None or fnmatch.fnmatchcase(e["path"], path))
        ]

    def clear(self, session: str) -> int:
        kept = [e for e in self._entries if e["session"] != session]
        removed = len(self._entries) - len(kept)
        self._entries.clear()
        self._entries.extend(kept)
        return removed
