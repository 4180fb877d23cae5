"""Go's `time.Duration`, both ways: Scalingo's API is written in Go and speaks its durations.

Requests give integer nanoseconds (go-scalingo marshals `*time.Duration`) or Go duration strings
(`"3m0s"`, what the document's answers show); answers print them the way Go's `Duration.String`
does, so a client comparing strings sees exactly what the real service would send.
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_NANOSECONDS = 2**63 - 1  # Go's time.Duration is an int64

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 MICRO SIGN
    "μs": 1_000,  # U+03BC GREEK SMALL LETTER MU
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_TERM = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)")


class DurationError(ValueError):
    """A duration Go would refuse (bad syntax, or out of int64 range)."""


def parse_duration(value: int | str) -> int:
    """Nanoseconds from integer nanoseconds or a Go duration string; "" and "0" are zero."""
    if isinstance(value, int):
        total = value
    elif value in ("", "0"):
        total = 0
    else:
        position, exact = 0, Fraction(0)
        for match in _TERM.finditer(value):
            if match.start() != position:
                break
            exact += Fraction(match.group(1)) * _UNITS[match.group(2)]
            position = match.end()
        if position != len(value) or position == 0:
            raise DurationError(f"invalid duration {value!r}")
        total = int(exact)  # Go drops fractions of a nanosecond
    if not 0 <= total <= MAX_NANOSECONDS:
        raise DurationError(f"duration {value!r} is out of range")
    return total


def format_duration(nanoseconds: int) -> str:
    """The string Go's `time.Duration.String` prints: "0s", "1.5ms", "3m0s", "1h0m0s"."""
    sign = "-" if nanoseconds < 0 else ""
    u = abs(nanoseconds)
    if u == 0:
        return "0s"
    if u < 1_000:
        return f"{sign}{u}ns"
    if u < 1_000_000:
        return f"{sign}{_decimal(u, 1_000)}µs"
    if u < 1_000_000_000:
        return f"{sign}{_decimal(u, 1_000_000)}ms"
    seconds, rest = divmod(u, 1_000_000_000)
    text = f"{_decimal(seconds % 60 * 1_000_000_000 + rest, 1_000_000_000)}s"
    minutes = seconds // 60
    if minutes:
        text = f"{minutes % 60}m{text}"
        hours = minutes // 60
        if hours:
            text = f"{hours}h{text}"
    return sign + text


def _decimal(value: int, unit: int) -> str:
    whole, fraction = divmod(value, unit)
    if not fraction:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}.{fraction:0{digits}d}".rstrip("0")
