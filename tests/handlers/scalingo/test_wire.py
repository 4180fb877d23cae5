"""Scalingo's wire helpers against straightforward reference versions of what they compute."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from handlers.scalingo import _wire


def _reference_timestamp(i: datetime) -> str:
    text = f"{i.year:04d}-{i.month:02d}-{i.day:02d}T{i.hour:02d}:{i.minute:02d}:{i.second:02d}"
    if i.microsecond:
        text += f".{i.microsecond:06d}".rstrip("0")
    return text + "Z"


@pytest.mark.parametrize("microsecond", [0, 1, 10, 100_000, 120_000, 123_456, 999_999, 500_010])
@pytest.mark.parametrize(
    "tz", [UTC, None, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30, seconds=15))]
)
def test_timestamp_writes_rfc3339nano_fields_as_the_reference(microsecond: int, tz: Any) -> None:
    for year in (1, 99, 999, 2026, 9999):
        instant = datetime(year, 6, 10, 7, 8, 13, microsecond, tzinfo=tz)
        assert _wire.timestamp(instant) == _reference_timestamp(instant)


def _reference_go_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reference_go_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_reference_go_json(item) for item in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    number = float(value)
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


class _Int(int):
    pass


@pytest.mark.parametrize(
    "value",
    [
        "web", "", None, True, False, 0, 1, -1, 1000, 2**53 - 1, -(2**53 - 1), 2**53, -(2**53), 2**53 + 1,
        2**64, -(2**70), 1.0, 1.5, -0.0, 1e300, 2.0**53, 9007199254740991.0, math.nan, _Int(3),
        {"recipient": "user", "n": 2.0, "deep": [1, 2.5, {"x": 3.0}]}, [True, None, 4.0, "s"],
    ],
)  # fmt: skip
def test_go_json_holds_values_as_the_reference(value: Any) -> None:
    got, expected = _wire.go_json(value, "limit"), _reference_go_json(value)
    assert repr(got) == repr(expected) and type(got) is type(expected)
