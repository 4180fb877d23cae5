"""The real contract: valid, complete, self-consistent, and served."""

from __future__ import annotations

import io

import pytest

from alertmock.app.config import DEFAULT_SPEC
from alertmock.contract.document import Contract
from alertmock.tools.lint import (
    check_examples_validate,
    check_operations_complete,
    check_spec_valid,
    coverage,
    iter_examples,
    run_lint,
)


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract(DEFAULT_SPEC)


def test_the_contract_is_valid_openapi(contract: Contract) -> None:
    assert check_spec_valid(contract) == []


def test_every_example_validates_against_its_schema(contract: Contract) -> None:
    assert len(list(iter_examples(contract))) >= 32
    assert check_examples_validate(contract) == []


def test_every_operation_has_tag_security_error_and_source(contract: Contract) -> None:
    assert check_operations_complete(contract) == []


def test_all_32_documented_operations_are_present_with_method_and_path(contract: Contract) -> None:
    rows = coverage(contract)
    assert len(rows) == 32
    assert [doc["n"] for doc, present in rows if not present] == []


def test_every_operation_is_tagged_with_one_vendor(contract: Contract) -> None:
    vendors = {"matatika", "tableau", "scalingo"}
    for op in contract.operations.values():
        assert len({t.split("-")[0] for t in op.tags} & vendors) == 1, op.operation_id


def test_operation_ids_name_their_handler(contract: Contract) -> None:
    for op in contract.operations.values():
        vendor = op.tags[0].split("-")[0]
        assert op.operation_id.startswith(f"handlers.{vendor}."), op.operation_id


def test_what_a_handler_derives_from_an_operation_is_computed_once(contract: Contract) -> None:
    operation = contract.operations["handlers.scalingo.alerts.create_alert"]
    calls = []

    def names(op):  # type: ignore[no-untyped-def]
        calls.append(op)
        return tuple(op.request_schema()["properties"])

    assert operation.derived(names) == ("alert",)
    assert operation.derived(names) == ("alert",)
    assert calls == [operation]


def test_lint_passes_and_reports_full_coverage(contract: Contract) -> None:
    out = io.StringIO()
    assert run_lint(DEFAULT_SPEC, out=out) == 0, out.getvalue()
    assert "Documented operations: 32/32 present" in out.getvalue()


def test_no_documented_operation_falls_back_to_examples(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/__mock/health")
    assert client.app.runtime.fallback_operations == []


@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/api/subscriptions", {"Authorization": "Bearer matatika-demo-token"}, "application/hal+json"),
        (
            "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts",
            {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
            "application/xml",
        ),
        ("/v1/apps/example-app/alerts", {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}, "application/json"),
    ],
)
def test_each_vendor_answers_a_documented_response(client, path: str, headers: dict[str, str], expected: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)


def test_schemathesis_reads_every_example_straight_from_openapi_yaml() -> None:
    # QA may run `schemathesis run openapi.yaml` without alertmock: the split files must resolve
    # in Schemathesis too (it resolved example $refs against the root, hence YAML aliases).
    import schemathesis

    schema = schemathesis.openapi.from_path(str(DEFAULT_SPEC))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 32
    for operation in operations:
        operation.get_strategies_from_examples()


def test_swagger_ui_serves_every_vendor_for_reviewers(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/ui/").status_code == 200
    served = client.get("/openapi.json").json()
    tags = {
        tag
        for item in served["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for tag in op.get("tags", [])
    }
    assert {
        "matatika-alerts",
        "matatika-subscriptions",
        "matatika-jobs",
        "tableau-data-alerts",
        "scalingo-alerts",
    } <= tags
