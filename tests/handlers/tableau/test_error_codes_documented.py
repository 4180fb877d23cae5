"""Every Tableau error code the handlers can raise is one the contract documents for that operation,
with the same HTTP status: the code table lives in spec/tableau.yaml, `_faults.py` and `errors.py`
must not drift from it.

Which codes an operation can raise is read from the code: the `_faults` constructors its handler
reaches through calls inside `handlers/tableau/` (a call to a name or method defined there counts,
whatever object it is called on: an over-approximation, so nothing is missed).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alertmock.contract.document import Contract
from handlers.tableau import _faults, errors

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "handlers" / "tableau"


def _functions() -> dict[str, set[str]]:
    """Function or method name -> the names it calls (bare names, and the attribute of `x.name`)."""
    calls: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                called = calls.setdefault(node.name, set())
                for call in ast.walk(node):
                    if isinstance(call, ast.Call):
                        func = call.func
                        if isinstance(func, ast.Name):
                            called.add(func.id)
                        elif isinstance(func, ast.Attribute):
                            called.add(func.attr)
    return calls


CALLS = _functions()
FAULTS = {name for name, fn in vars(_faults).items() if inspect.isfunction(fn) and not name.startswith("_")}


def _reachable_faults(handler: str) -> set[str]:
    seen, todo = set(), [handler]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(CALLS.get(name, ()))
    return seen & FAULTS


def _raised(fault: str) -> tuple[str, int]:
    """(code, status) of one `_faults` constructor, called with placeholder arguments."""
    fn = getattr(_faults, fault)
    arguments = [
        2 if p.annotation in (int, "int") else "x"
        for p in inspect.signature(fn).parameters.values()
        if p.default is inspect.Parameter.empty
    ]
    error = fn(*arguments)
    return str(error.code), error.status


def _documented(operation: Any) -> set[tuple[str, int]]:
    """(code, status) of every error example the contract gives the operation."""
    found = set()
    for status, response in operation.responses.items():
        if not status.isdigit():
            continue
        for media_type in response.content:
            for example in response.examples(media_type).values():
                error = example.get("error") if isinstance(example, dict) else None
                if isinstance(error, dict) and "code" in error:
                    found.add((str(error["code"]), int(status)))
    return found


def _tableau_operations() -> Iterator[Any]:
    contract = Contract(ROOT / "openapi.yaml")
    for operation in contract.operations.values():
        if operation.operation_id.startswith("handlers.tableau."):
            yield operation


OPERATIONS = list(_tableau_operations())


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_each_code_an_operation_raises_is_documented_for_it_with_its_status(operation: Any) -> None:
    handler = operation.operation_id.rsplit(".", 1)[1]
    raised = {_raised(fault) for fault in _reachable_faults(handler)}
    # The validation errors errors.py maps to paging codes, for an operation with those parameters.
    names = {p.get("name") for p in operation.spec.get("parameters", [])}
    raised |= {(code, 400) for name, (code, _, _) in errors._PAGING.items() if name in names}
    undocumented = raised - _documented(operation)
    assert not undocumented, f"raised but not documented (code, status): {sorted(undocumented)}"


def test_the_analysis_sees_the_faults() -> None:
    # Holds the test above to something: the alert lookup's 409023 is reached through a method call.
    assert _reachable_faults("get_data_alert") >= {"alert_not_found", "site_not_found", "version_too_old"}
    assert _raised("alert_not_found") == ("409023", 404)
    assert {fault for op in OPERATIONS for fault in _reachable_faults(op.operation_id.rsplit(".", 1)[1])} == FAULTS
