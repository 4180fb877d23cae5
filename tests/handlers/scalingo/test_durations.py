"""Go's time.Duration both ways, against what Go's ParseDuration and Duration.String give."""

from __future__ import annotations

import pytest

from handlers.scalingo._durations import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("3m0s", 180_000_000_000),
        ("5m30s", 330_000_000_000),
        ("1h", 3_600_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("300ms", 300_000_000),
        ("2us", 2_000),
        ("2µs", 2_000),
        ("2μs", 2_000),
        ("7ns", 7),
        (".5s", 500_000_000),
        ("1.s", 1_000_000_000),
        ("1h2m3.004s", 3_723_004_000_000),
        ("0", 0),
        ("", 0),
        (180_000_000_000, 180_000_000_000),
    ],
)
def test_parse(text: str | int, nanoseconds: int) -> None:
    assert parse_duration(text) == nanoseconds


@pytest.mark.parametrize("text", ["3", "m", "3 m", "3m 0s", "1d", ".s", "2562048h", "-1s", "1h-1m"])
def test_parse_refuses_what_go_refuses_or_alerts_cannot_use(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("nanoseconds", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1_500, "1.5µs"),
        (1_500_000, "1.5ms"),
        (1_000_000_000, "1s"),
        (1_500_000_000, "1.5s"),
        (180_000_000_000, "3m0s"),
        (330_000_000_000, "5m30s"),
        (3_600_000_000_000, "1h0m0s"),
        (3_723_004_000_000, "1h2m3.004s"),
        (2**63 - 1, "2562047h47m16.854775807s"),
    ],
)
def test_format_is_gos_duration_string(nanoseconds: int, text: str) -> None:
    assert format_duration(nanoseconds) == text
    assert parse_duration(text) == nanoseconds
