"""How the engine loads a contract: refs inlined once, path-level parameters moved into operations."""

from __future__ import annotations

from pathlib import Path

from alertmock.contract.document import Contract, _with_operation_parameters, resolve_document

ROOT = Path(__file__).resolve().parents[2]


def test_path_parameters_move_into_each_operation_and_the_operations_own_win() -> None:
    shared = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    override = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    document = {"paths": {"/x/{id}": {"parameters": [shared], "get": {}, "put": {"parameters": [override]}}}}
    item = _with_operation_parameters(document)["paths"]["/x/{id}"]
    assert "parameters" not in item
    assert item["get"]["parameters"] == [shared]
    assert item["put"]["parameters"] == [override]
    assert document["paths"]["/x/{id}"]["parameters"] == [shared]  # the input is left alone


def test_every_operation_of_the_contract_has_each_path_parameter_once() -> None:
    for op in Contract(ROOT / "openapi.yaml").operations.values():
        names = [(p["name"], p["in"]) for p in op.spec.get("parameters", [])]
        assert len(names) == len(set(names)), op.operation_id
        assert {n for n, where in names if where == "path"} == {
            part.strip("{}") for part in op.path.split("/") if part.startswith("{")
        }, op.operation_id


def test_refs_into_vendor_files_are_inlined_and_shared() -> None:
    document = resolve_document(ROOT / "openapi.yaml")
    text = repr(document)
    assert "$ref" not in text
