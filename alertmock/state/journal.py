"""The request journal: what clients sent and what they got, so tests and dashboards can read it back.

Bounded (the oldest entries go first) and shared by all sessions; each entry names its session.
A caller reads its own session's entries unless it names another (or ``*``, every session).

Every request is recorded but few are ever read back, so an entry keeps the raw values (the
ASGI header lists, the body bytes, the clock's datetime) and is turned into JSON-ready data only
when someone asks for it. Bodies, sent and answered, are cut to `MAX_BODY_CHARS` when recorded.

The whole interface is `Journal.record(Entry)`, `Journal.entries(Query)` and `Journal.clear(session)`;
another backend (shared between processes) implements those three.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_BODY_CHARS = 64 * 1024
# Enough bytes for MAX_BODY_CHARS characters of any UTF-8 text: what a recorder needs to keep.
MAX_BODY_BYTES = 4 * MAX_BODY_CHARS
EVERY_SESSION = "*"

Headers = list[tuple[bytes, bytes]]
# What an entry shows of the exchange itself (query, headers, body, response): all but these few
# fields is the same for a repeated request, and the costly part to show.
Exchange = tuple[str, dict[str, str], str, dict[str, Any]]


@dataclass(slots=True)
class Entry:
    """One exchange. `id` is given by the journal when recorded."""

    time: datetime
    session: str
    method: str
    path: str
    query: bytes
    headers: Headers
    body: bytes | str  # str: already decoded and cut to what the journal shows
    status: int
    duration_ms: float
    response_headers: Headers = field(default_factory=list)
    response_body: bytes | str = b""
    operation_id: str | None = None  # the contract's operationId Connexion routed to, if any
    vendor: str | None = None  # whose API answered (the matched operation's, else the path's)
    fault: str | None = None  # "error", "drop" or "latency" when PUT /__mock/faults shaped the answer
    # `alertmock proxy`: the contract violations found in this exchange (None when not proxied).
    violations: list[dict[str, Any]] | None = None
    id: int = 0

    def as_json(self, exchange: Exchange | None = None) -> dict[str, Any]:
        """JSON-ready; `exchange`: the `Exchange` part as already shown for an equal exchange."""
        query, headers, body, response = exchange or (
            self.query.decode("latin-1"),
            header_object(self.headers),
            _shown(self.body),
            {"headers": header_object(self.response_headers), "body": _shown(self.response_body)},
        )
        return {
            "id": self.id,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "session": self.session,
            "method": self.method,
            "path": self.path,
            "query": query,
            "headers": headers,
            "body": body,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 3),
            "operation_id": self.operation_id,
            "vendor": self.vendor,
            "fault": self.fault,
            "violations": self.violations,
            "response": response,
        }

    def exchange_key(self) -> Hashable:
        """All that the `Exchange` part of the shown entry is made of (redaction included, which
        also reads the operation): equal keys, equal parts. Raises TypeError for headers given
        as lists (ASGI allows them), which cannot be hashed."""
        return (
            self.operation_id,
            self.query,
            tuple(self.headers),
            self.body,
            tuple(self.response_headers),
            self.response_body,
        )


def exchange_of(shown: dict[str, Any]) -> Exchange:
    """The part of a shown entry that `exchange_key` decides."""
    return shown["query"], shown["headers"], shown["body"], shown["response"]


def header_object(headers: Headers) -> dict[str, str]:
    # A repeated header keeps its last value, as a JSON object must.
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in headers}


def _shown(body: bytes | str) -> str:
    return body if isinstance(body, str) else _text(body)


def _text(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    return text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "…"


def bounded(body: bytes) -> bytes | str:
    """A body as an entry keeps it: raw when short (decoded only if read), else cut now."""
    return _text(body) if len(body) > MAX_BODY_CHARS else body


_STATUS = re.compile(r"^([1-5])(?:xx|XX)$|^([1-5]\d\d)$")


@dataclass(frozen=True)
class Query:
    """Which entries to read: `GET /__mock/requests` parameters, parsed (see `Query.parse`)."""

    session: str  # a session name, or EVERY_SESSION
    method: str | None = None
    path: str | None = None  # a glob (``/api/jobs/*``)
    statuses: tuple[tuple[int, int], ...] = ()  # inclusive ranges; empty: any status
    since_id: int | None = None
    since_time: datetime | None = None
    limit: int | None = None

    @classmethod
    def parse(
        cls,
        session: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: str | None = None,
        since: int | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> Query:
        """Raises ValueError with a sentence a client can act on."""
        since_time = None
        if after is not None:
            try:
                since_time = datetime.fromisoformat(after.strip().upper().replace("Z", "+00:00").replace(" ", "+"))
            except ValueError:
                raise ValueError(f"after={after!r} is not an ISO 8601 instant") from None
            if since_time.tzinfo is None:
                since_time = since_time.replace(tzinfo=UTC)
        if limit is not None and limit < 1:
            raise ValueError("limit must be at least 1")
        return cls(
            session=session,
            method=method.upper() if method else None,
            path=path or None,
            statuses=tuple(_status_range(part) for part in (status or "").split(",") if part.strip()),
            since_id=since,
            since_time=since_time,
            limit=limit,
        )

    def matches(self, entry: Entry) -> bool:
        return (
            (self.session == EVERY_SESSION or entry.session == self.session)
            and (self.method is None or entry.method == self.method)
            and (self.path is None or fnmatch.fnmatchcase(entry.path, self.path))
            and (not self.statuses or any(low <= entry.status <= high for low, high in self.statuses))
            and (self.since_id is None or entry.id > self.since_id)
            and (self.since_time is None or entry.time > self.since_time)
        )

    def page(self, matching: list[Entry]) -> list[Entry]:
        """`limit` entries, oldest first: the newest ones, or with `since` the first after it, so a
        poller that passes the last id it saw never skips an entry."""
        if self.limit is None or len(matching) <= self.limit:
            return matching
        paging_forward = self.since_id is not None or self.since_time is not None
        return matching[: self.limit] if paging_forward else matching[-self.limit :]


def _status_range(text: str) -> tuple[int, int]:
    found = _STATUS.match(text.strip())
    if found is None:
        raise ValueError(f"status={text.strip()!r} is not a status (503) or a class (5xx)")
    if found.group(1):
        hundred = int(found.group(1)) * 100
        return hundred, hundred + 99
    return int(found.group(2)), int(found.group(2))


class Journal:
    """At most `size` entries whose bodies hold at most `max_bytes` in all (the newest is always
    kept): bounded by entries alone, a journal of large answers held hundreds of MiB.

    An answer equal to the last one recorded for the same method and path is kept as that same
    object: a client polling a job or refetching an unchanged list gets the same bytes each time,
    and a thousand copies of a 10 KB page held 10 MB. The budget counts each answer object once,
    while any entry holds it, so it measures what the journal really keeps."""

    def __init__(self, size: int, max_bytes: int | None = None) -> None:
        # What leaves the journal (a read, a shared backend): the entry with its credentials
        # fingerprinted (alertmock/contract/redaction.py), set by the runtime; None keeps them in clear.
        self.redact: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self._entries: deque[Entry] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._ids = itertools.count(1)
        # id(answer) -> [entries holding it, its key in `_last`]. Those entries keep the answer
        # alive, so no other object can take its id while it is here.
        self._held: dict[int, list[Any]] = {}
        # (method, path) -> the last answer recorded there, while an entry holds it.
        self._last: dict[tuple[str, str], bytes | str] = {}

    async def record(self, entry: Entry) -> None:
        entry.id = next(self._ids)
        self._bytes += len(entry.body)  # what clients send is rarely repeated: counted as it comes
        answer = entry.response_body
        if answer:
            key = (entry.method, entry.path)
            last = self._last.get(key)
            if last is not None and last == answer:  # lengths first, then one memcmp
                entry.response_body = answer = last
            held = self._held.get(id(answer))
            if held is None:
                self._held[id(answer)] = [1, key]
                self._bytes += len(answer)
                self._last[key] = answer
            else:
                held[0] += 1
        entries = self._entries
        entries.append(entry)
        while len(entries) > self._size or (
            self._max_bytes is not None and self._bytes > self._max_bytes and len(entries) > 1
        ):
            self._release(entries.popleft())

    def _release(self, entry: Entry) -> None:
        self._bytes -= len(entry.body)
        answer = entry.response_body
        if answer:
            held = self._held[id(answer)]
            held[0] -= 1
            if not held[0]:
                del self._held[id(answer)]
                self._bytes -= len(answer)
                if self._last.get(held[1]) is answer:
                    del self._last[held[1]]

    async def entries(self, query: Query) -> list[dict[str, Any]]:
        """Oldest first."""
        return [self.shown(e) for e in query.page([e for e in self._entries if query.matches(e)])]

    def shown(self, entry: Entry, exchange: Exchange | None = None) -> dict[str, Any]:
        """The entry as readers get it: JSON-ready, credentials fingerprinted unless told otherwise.
        `exchange`: its exchange as shown before for an equal one (`Entry.exchange_key`), which
        is what redaction changes: then it is used as it is."""
        data = entry.as_json(exchange)
        return data if self.redact is None or exchange is not None else self.redact(data)

    async def clear(self, session: str) -> int:
        kept = [e for e in self._entries if e.session != session]
        removed = len(self._entries) - len(kept)
        for entry in self._entries:
            if entry.session == session:
                self._release(entry)
        self._entries.clear()
        self._entries.extend(kept)
        return removed
