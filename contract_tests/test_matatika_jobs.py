"""Matatika jobs and their logs (document 002) (tag matatika-jobs): every operation, all checks, phases examples, coverage and fuzzing."""

from __future__ import annotations

from typing import Any

from contract_tests._support import record, schema_for, session_headers, unit_settings

schema = schema_for("matatika", tag="matatika-jobs")


@schema.parametrize()
@unit_settings()
def test_matatika_jobs(case: Any) -> None:
    # Each case in a fresh mock session: an example that deletes a fixture cannot starve the next.
    record(case, case.call_and_validate(headers=session_headers()))
