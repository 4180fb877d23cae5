"""Tableau sign-in, sign-out and server info (tag tableau-auth): every operation, all checks, phases examples, coverage and fuzzing."""

from __future__ import annotations

from typing import Any

from contract_tests._support import record, schema_for, session_headers, unit_settings

schema = schema_for("tableau", tag="tableau-auth")


@schema.parametrize()
@unit_settings()
def test_tableau_auth(case: Any) -> None:
    # Each case in a fresh mock session: an example that deletes a fixture cannot starve the next.
    record(case, case.call_and_validate(headers=session_headers()))
