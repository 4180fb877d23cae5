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


# Tableau Server, Spring (Matatika) and Scalingo's Go API ignore query parameters they do not declare,
# and so does the mock (its `__code`-style controls rely on it): a negative case whose only invalid
# part is an undeclared query parameter is not a deviation. Not generated for operations without a
# body (there, query parameters are all that additionalProperties could add).
NO_UNDECLARED_QUERY = {"include-method-regex": "^(GET|HEAD|DELETE)$", "generation": {"allow-extra-parameters": False}}


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
    return {"operations": [*operations, NO_UNDECLARED_QUERY]}
