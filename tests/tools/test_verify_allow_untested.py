"""`alertmock verify --allow-untested` takes an operation as `METHOD /path` or by its operationId."""

from __future__ import annotations

from pathlib import Path

from alertmock.tools.verify import coverage as cov
from alertmock.tools.verify.document import bundled_document
from alertmock.tools.verify.run import untested_labels
from alertmock.tools.verify.stops import ExitCode

ROOT = Path(__file__).resolve().parents[2]
DELETE = "DELETE /v1/apps/{app}/alerts/{alert_id}"
DOCUMENT = bundled_document(ROOT / "openapi.yaml")


def _untested_delete() -> cov.Coverage:
    tested = cov.OperationCoverage("GET /v1/apps/{app}/alerts", requests=3, ok=3)
    return cov.Coverage({tested.label: tested, DELETE: cov.OperationCoverage(DELETE, requests=4, not_found=4)}, [])


def test_an_operation_id_names_the_same_operation_as_its_label() -> None:
    assert untested_labels(DOCUMENT, ["handlers.scalingo.alerts.delete_alert", DELETE, "GET /nowhere"]) == [
        DELETE,
        DELETE,
        "GET /nowhere",  # not an operationId: taken as given
    ]


def test_an_untested_operation_allowed_by_its_operation_id_passes_the_run() -> None:
    assert cov.verdict(_untested_delete()).code == ExitCode.UNTESTED
    allowed = untested_labels(DOCUMENT, ["handlers.scalingo.alerts.delete_alert"])
    assert cov.verdict(_untested_delete(), allowed).code == ExitCode.OK
    assert "untested (allowed)" in cov.table(_untested_delete(), allowed)
