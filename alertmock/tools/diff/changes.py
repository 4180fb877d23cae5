"""A change between the two sides, as every reporter prints it, and where comparisons collect them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from alertmock.tools.diff.loading import where
from alertmock.tools.diff.rules import RULES, Level


@dataclass
class Change:
    id: str
    level: Level
    operation: str  # "METHOD /path", or "" for the contract as a whole
    location: str  # what in the operation: "request body /dataAlert/subject", "response 200", ...
    message: str
    file: str | None
    line: int | None
    # What recorded traffic would show in use: ("parameter", in, name) or ("property", direction, path).
    subject: tuple[Any, ...] | None = None
    traffic: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        found = {
            "id": self.id,
            "level": self.level.name,
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }
        if self.traffic is not None:
            found["traffic"] = self.traffic
        return found


@dataclass
class Collector:
    """Collects one operation's changes; each names the revision's node, or the base's if it is gone."""

    operation: str
    changes: list[Change] = field(default_factory=list)

    def add(
        self,
        rule_id: str,
        location: str,
        message: str,
        at: tuple[Any, str | None] | None = None,
        fallback: tuple[Any, str | None] | None = None,
        subject: tuple[Any, ...] | None = None,
    ) -> None:
        file, line = where(*at) if at else (None, None)
        if file is None and fallback is not None:
            file, line = where(*fallback)
        rule = RULES[rule_id]
        self.changes.append(Change(rule_id, rule.level, self.operation, location, message, file, line, subject))
