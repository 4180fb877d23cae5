"""Scalingo app alerts (document 004) (tag scalingo-alerts): every operation, all checks, phases examples, coverage and fuzzing."""

from __future__ import annotations

from typing import Any

from contract_tests._support import record, schema_for, session_headers, unit_settings

schema = schema_for("scalingo", tag="scalingo-alerts")


@schema.parametrize()
@unit_settings()
def test_scalingo_alerts(case: Any) -> None:
    # Each case in a fresh mock session: an example that deletes a fixture cannot starve the next.
    record(case, case.call_and_validate(headers=session_headers()))
