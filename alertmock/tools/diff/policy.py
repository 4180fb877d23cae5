"""A team's own judgement over the rule table: `--severity FILE` re-levels rules, `--ignore FILE`
accepts known changes, each with the reason a later reviewer will read.

Severity file, as oasdiff's: one ``RULE-ID LEVEL`` per line (ERR, WARN, INFO, or NONE to drop
the rule), ``#`` comments. Ignore file (YAML): a list of ``{id, operation?, location?, reason}``;
`operation` is ``METHOD /path`` as reported, `location` a part of the reported location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from alertmock.tools.diff.changes import Change
from alertmock.tools.diff.rules import RULES, Level


class PolicyError(Exception):
    """A severity or ignore file that cannot be used (one line)."""


@dataclass(frozen=True)
class Ignore:
    id: str
    reason: str
    operation: str | None = None
    location: str | None = None

    def matches(self, change: Change) -> bool:
        return (
            self.id == change.id
            and (self.operation is None or self.operation.upper() == change.operation.upper())
            and (self.location is None or self.location in change.location)
        )


def read_severity(path: Path) -> dict[str, Level | None]:
    levels: dict[str, Level | None] = {}
    for number, raw in enumerate(_read(path).splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or parts[0] not in RULES or parts[1].upper() not in {*Level.__members__, "NONE"}:
            raise PolicyError(f"{path}:{number}: expected 'RULE-ID ERR|WARN|INFO|NONE' with a known rule id")
        levels[parts[0]] = None if parts[1].upper() == "NONE" else Level[parts[1].upper()]
    return levels


def read_ignores(path: Path) -> list[Ignore]:
    try:
        entries = yaml.safe_load(_read(path)) or []
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(entries, list):
        raise PolicyError(f"{path}: expected a list of {{id, operation, location, reason}}")
    ignores = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or entry.get("id") not in RULES:
            raise PolicyError(f"{path}: entry {number}: needs the id of a known rule")
        if not str(entry.get("reason") or "").strip():
            raise PolicyError(f"{path}: entry {number} ({entry['id']}): every accepted change needs a reason")
        ignores.append(Ignore(entry["id"], str(entry["reason"]), entry.get("operation"), entry.get("location")))
    return ignores


def apply(changes: list[Change], levels: dict[str, Level | None], ignores: list[Ignore]) -> list[Change]:
    kept = []
    for change in changes:
        if change.id in levels:
            level = levels[change.id]
            if level is None:
                continue
            change.level = level
        if not any(ignore.matches(change) for ignore in ignores):
            kept.append(change)
    return kept


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: {exc.strerror}") from None
