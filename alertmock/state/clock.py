"""The simulated clock: real time, frozen at an instant, or running N times faster.

`--clock` takes ``real``, an ISO 8601 instant (frozen there), ``xN`` (from now, N times as fast)
or ``<instant>@xN`` (from that instant, N times as fast). Job lifecycles and timestamps read it,
so a frozen clock makes bodies repeatable and a fast one makes a ten-minute run take seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class Clock:
    start: datetime | None = None  # None: the real time at construction
    speed: float = 1.0  # 0 freezes the clock at `start`

    def __post_init__(self) -> None:
        self._origin = self.start or datetime.now(UTC)
        self._started = time.monotonic()
        self._offset = timedelta()

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._started) * self.speed
        return self._origin + timedelta(seconds=elapsed) + self._offset

    async def advance(self, seconds: float) -> None:
        """Move simulated time forward (the control API uses it to finish jobs on demand)."""
        self._offset += timedelta(seconds=seconds)

    @classmethod
    def parse(cls, spec: str) -> Clock:
        spec = spec.strip()
        if spec in ("", "real"):
            return cls()
        instant, sep, factor = spec.partition("@")
        if not sep:
            instant, factor = ("", spec) if spec.startswith("x") else (spec, "x0")
        try:
            speed = float(factor.removeprefix("x"))
        except ValueError:
            raise ValueError(f"{factor!r} is not a speed") from None
        try:
            start = datetime.fromisoformat(instant.replace("Z", "+00:00")) if instant else None
        except ValueError:
            raise ValueError(f"{instant!r} is not an ISO 8601 instant") from None
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        if speed < 0:
            raise ValueError("the speed must not be negative")
        return cls(start=start, speed=speed)
