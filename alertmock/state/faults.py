"""Injected faults, per session: latency (fixed plus a random range), errors at a rate, dropped connections.

A rule applies to every route, or to a method and a path glob (``/api/jobs/*``). Rules are checked
in order; every matching rule adds its latency, and the first that fires an error or a drop decides.
"""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FaultRule:
    method: str = "*"
    path: str = "*"
    latency_ms: int = 0
    random_latency_ms: tuple[int, int] = (0, 0)
    error_rate: float = 0.0
    error_status: int = 503
    drop_rate: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "latency": {"fixed_ms": self.latency_ms, "random_ms": list(self.random_latency_ms)},
            "error": {"rate": self.error_rate, "status": self.error_status},
            "drop": {"rate": self.drop_rate},
        }

    @classmethod
    def from_json(cls, rule: Mapping[str, Any]) -> FaultRule:
        latency = rule.get("latency", {})
        error = rule.get("error", {})
        low, high = latency.get("random_ms", [0, 0])
        return cls(
            method=str(rule.get("method", "*")).upper(),
            path=rule.get("path", "*"),
            latency_ms=latency.get("fixed_ms", 0),
            random_latency_ms=(low, max(low, high)),
            error_rate=error.get("rate", 0.0),
            error_status=error.get("status", 503),
            drop_rate=rule.get("drop", {}).get("rate", 0.0),
        )


@dataclass(frozen=True)
class Verdict:
    delay_seconds: float = 0.0
    error_status: int | None = None
    drop: bool = False


class Faults:
    def __init__(self, seed: int | None = None) -> None:
        self._rules: dict[str, list[FaultRule]] = {}
        self._random = random.Random(seed)

    async def set(self, session: str, rules: list[FaultRule]) -> None:
        self._rules[session] = rules

    async def get(self, session: str) -> list[FaultRule]:
        return self._rules.get(session, [])

    async def clear(self, session: str) -> None:
        self._rules.pop(session, None)

    def judge(self, session: str, method: str, path: str) -> Verdict | None:
        rules = self._rules.get(session)
        if not rules:
            return None
        delay_ms = 0.0
        for rule in rules:
            if not rule.matches(method, path):
                continue
            delay_ms += rule.latency_ms + self._random.uniform(*rule.random_latency_ms)
            if rule.drop_rate and self._random.random() < rule.drop_rate:
                return Verdict(delay_ms / 1000, drop=True)
            if rule.error_rate and self._random.random() < rule.error_rate:
                return Verdict(delay_ms / 1000, error_status=rule.error_status)
        return Verdict(delay_ms / 1000)
