"""Prism-compatible response selection: ``Prefer: code=404, example=name, dynamic=true, seed=3, delay=500``.

The same keys work as query parameters (``__code``, ``__example``, ``__dynamic``, ``__seed``,
``__delay``) for clients that cannot set headers. The engine's middleware parses them once per
request; an operation's handler is bypassed when they choose the response, and the answer comes
from the contract (the named or first example, or data generated from the schema) in the
vendor's negotiated wire format.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from alertmock.errors import BadRequestError

_KEYS = ("code", "example", "dynamic", "seed", "delay")
MAX_DELAY_MS = 60_000


@dataclass(frozen=True)
class Preferences:
    code: int | None = None
    example: str | None = None
    dynamic: bool = False
    seed: int | None = None
    delay_ms: int = 0

    @property
    def chooses_response(self) -> bool:
        return self.code is not None or self.example is not None or self.dynamic


def parse_preferences(prefer_headers: list[str], query_string: bytes) -> Preferences | None:
    """None when the request states no preference (the common, fast case)."""
    raw: dict[str, str] = {}
    for header in prefer_headers:
        for part in header.split(","):
            key, _, value = part.strip().partition("=")
            if key.strip().lower() in _KEYS:
                raw[key.strip().lower()] = value.strip().strip('"')
    if b"__" in query_string:
        for key, value in parse_qsl(query_string.decode("latin-1")):
            if key.startswith("__") and key[2:] in _KEYS:
                raw[key[2:]] = value
    if not raw:
        return None
    try:
        preferences = Preferences(
            code=int(raw["code"]) if "code" in raw else None,
            example=raw.get("example") or None,
            dynamic=raw.get("dynamic", "false").lower() in ("true", "1", "yes"),
            seed=int(raw["seed"]) if "seed" in raw else None,
            delay_ms=int(raw.get("delay", "0")),
        )
    except ValueError as exc:
        raise BadRequestError(f"Prefer: code, seed and delay take integers ({exc})") from exc
    if not 0 <= preferences.delay_ms <= MAX_DELAY_MS:
        raise BadRequestError(f"Prefer: delay must be between 0 and {MAX_DELAY_MS} ms")
    return preferences
