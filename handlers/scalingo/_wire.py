"""Scalingo's wire form: stored alert records to the JSON the real API answers, request values to Go's.

Records keep durations as integer nanoseconds and timestamps as the strings to answer; the wire
form leaves out empty optional attributes (Go's ``omitempty``, as in the document's answers).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alertmock import UnprocessableEntityError
from handlers.scalingo._durations import format_duration

# Attributes that are Go durations: stored as integer nanoseconds, answered as Go prints them.
DURATIONS = ("duration_before_trigger", "remind_every")
# Go's zero time: what the document's list answer shows as `deleted_at` of a live alert.
GO_ZERO_TIME = "0001-01-01T00:00:00Z"
# Past 2**53 a float64 is no longer an exact integer: such values stay floats, as in Go.
_EXACT_FLOAT_INTEGERS = 2**53


def alert(record: dict[str, Any], *, listed: bool = False) -> dict[str, Any]:
    """One alert as Scalingo answers it; `listed` adds `deleted_at`, as the list answer has it."""
    wire: dict[str, Any] = {
        "id": record["id"],
        "app_id": record["app_id"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }
    if listed:
        wire["deleted_at"] = GO_ZERO_TIME
    wire.update(
        container_type=record["container_type"],
        disabled=record["disabled"],
        metric=record["metric"],
        limit=record["limit"],
        send_when_below=record["send_when_below"],
    )
    for name in DURATIONS:
        if record.get(name):
            wire[name] = format_duration(record[name])
    if record.get("metadata"):
        wire["metadata"] = record["metadata"]
    if record.get("notifiers"):
        wire["notifiers"] = record["notifiers"]
    return wire


def timestamp(instant: datetime) -> str:
    """RFC 3339 in UTC with `Z` and no trailing zeros in the fraction (Go's RFC3339Nano).

    Not strftime: three times the cost, and its %Y does not pad years before 1000 as Go does.
    """
    # isoformat() of the wall time: four-digit year, and six fraction digits only when the
    # microseconds are not zero, so stripping zeros never reaches the seconds.
    text = instant.replace(tzinfo=None).isoformat()
    return (text.rstrip("0") if instant.microsecond else text) + "Z"


# A tuple, not `int | float`: that union is built again on every call, on every attribute of a body.
_NUMBERS = (int, float)


def go_json(value: Any, field: str) -> Any:
    """A request's JSON value as Go's decoder would hold it, so answers match the real service's.

    Numbers become float64, printed without ".0" when integral. (NaN, infinities and lone
    surrogates never get here: the engine's strict JSON parser refuses them with a 400.)
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value  # the common case first: one type check, not four isinstance calls
    if kind is int and -_EXACT_FLOAT_INTEGERS < value < _EXACT_FLOAT_INTEGERS:
        return value  # float64 holds it exactly, and it prints without ".0": int(float(value))
    if isinstance(value, dict):
        return {key: go_json(item, field) for key, item in value.items()}
    if isinstance(value, list):
        return [go_json(item, field) for item in value]
    if isinstance(value, bool) or not isinstance(value, _NUMBERS):
        return value
    number = float(value)
    if number.is_integer() and abs(number) < _EXACT_FLOAT_INTEGERS:
        return int(number)
    return number


def invalid(field: str, message: str) -> UnprocessableEntityError:
    """A 422 for one attribute, rendered as Scalingo's `{"errors": {field: [message]}}`."""
    return UnprocessableEntityError(f"{field} {message}", extra={"errors": {field: [message]}})
