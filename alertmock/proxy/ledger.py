"""What the proxy saw: the violating exchanges (bounded like the journal) and a tally per operation.

Exchanges with findings are kept, newest last, up to the journal's size, each with the session it
came from; a caller only sees its own. The tally (exchanges, violating exchanges, findings by kind)
is kept per session and operation for the summary and the exit report. An exchange the contract
does not describe is tallied under ``undocumented METHOD /path``; past `MAX_TALLIED` lines (a
crawler, a fuzzer, sessions by the thousand) new ones are summed under shared names.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alertmock.proxy.findings import Finding

MAX_TALLIED = 1000
OTHER_UNDOCUMENTED = "undocumented (other paths)"
OTHER_SESSIONS = "(other sessions)"


@dataclass(frozen=True, slots=True)
class Exchange:
    id: int
    time: datetime
    session: str
    method: str
    path: str
    query: str
    operation_id: str | None
    status: int | None  # None: the upstream did not answer
    findings: tuple[Finding, ...]

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "operation_id": self.operation_id,
            "status": self.status,
        }


@dataclass(slots=True)
class Tally:
    exchanges: int = 0
    violating: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.exchanges += other.exchanges
        self.violating += other.violating
        self.kinds.update(other.kinds)


class ViolationLog:
    def __init__(self, size: int) -> None:
        self._exchanges: deque[Exchange] = deque(maxlen=size)
        self._tallies: dict[tuple[str, str], Tally] = {}
        self._ids = itertools.count(1)

    def record(
        self,
        *,
        time: datetime,
        session: str,
        method: str,
        path: str,
        query: str,
        operation_id: str | None,
        status: int | None,
        findings: list[Finding],
    ) -> Exchange:
        exchange = Exchange(next(self._ids), time, session, method, path, query, operation_id, status, tuple(findings))
        if findings:
            self._exchanges.append(exchange)
        tally = self._tally(session, operation_id or f"undocumented {method} {path}")
        tally.exchanges += 1
        tally.violating += bool(findings)
        tally.kinds.update(f.kind for f in findings)
        return exchange

    def _tally(self, session: str, name: str) -> Tally:
        key = (session, name)
        if key not in self._tallies and len(self._tallies) >= MAX_TALLIED:
            # Past the bound, new sessions and undocumented paths share lines: as many as operations.
            key = (OTHER_SESSIONS, OTHER_UNDOCUMENTED if name.startswith("undocumented ") else name)
        return self._tallies.setdefault(key, Tally())

    def violations(self, session: str) -> list[dict[str, Any]]:
        """Every finding of the session's kept exchanges, oldest first, each with its exchange."""
        return [
            {**finding.as_json(), "exchange": exchange.describe()}
            for exchange in self._exchanges
            if exchange.session == session
            for finding in exchange.findings
        ]

    def summary(self, session: str | None = None) -> dict[str, Tally]:
        """Per operation (all sessions when `session` is None), in operation order."""
        merged: dict[str, Tally] = {}
        for (owner, name), tally in self._tallies.items():
            if session is None or owner == session:
                merged.setdefault(name, Tally()).add(tally)
        return dict(sorted(merged.items()))

    def clear(self, session: str) -> None:
        kept = [e for e in self._exchanges if e.session != session]
        self._exchanges.clear()
        self._exchanges.extend(kept)
        for key in [key for key in self._tallies if key[0] == session]:
            del self._tallies[key]
