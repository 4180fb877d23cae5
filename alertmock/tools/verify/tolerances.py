"""Statuses one check must accept on one operation because the vendor really answers them.

Each one is listed, with its reason, in contract_tests/README.md. Never a whole check. The same
settings reach the pytest suite (`schemathesis_settings`) and the CLI run (its config file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tolerance:
    operation: str  # Schemathesis' "METHOD /path" name
    check: str
    statuses: tuple[str, ...]
    reason: str


TOLERANCES: tuple[Tolerance, ...] = (
    Tolerance(
        "GET /api/{api-version}/sites/{site-id}/dataAlerts",
        "positive_data_acceptance",
        ("400",),
        "Tableau answers 400 (error 400006, Invalid page number) for a pageNumber past the last page: "
        "the page count depends on the data, which no schema can express.",
    ),
)


def schemathesis_settings() -> dict[str, Any]:
    """The tolerances as Schemathesis configuration (``{"operations": [...]}``)."""
    from schemathesis.config import SchemathesisConfig

    defaults = SchemathesisConfig.from_dict({}).projects.default.checks
    operations = []
    for tolerance in TOLERANCES:
        statuses = [*getattr(defaults, tolerance.check).expected_statuses, *tolerance.statuses]
        operations.append(
            {"include-name": tolerance.operation, "checks": {tolerance.check: {"expected-statuses": statuses}}}
        )
    return {"operations": operations}
