"""The planned argument mapping gives every handler exactly what Connexion's `get_arguments` gives it."""

from __future__ import annotations

from typing import Any

import pytest
from connexion.decorators.parameter import get_arguments, sanitized
from connexion.operations import OpenAPIOperation
from connexion.resolver import Resolver
from connexion.spec import Specification

from alertmock import Config
from alertmock.contract import Contract
from alertmock.shims.argument_plan import ArgumentPlan

CONTRACT = Contract(Config().spec)
SPEC = Specification.load(CONTRACT.resolved)
OPERATIONS = [
    OpenAPIOperation.from_spec(SPEC, path=path, method=method, resolver=Resolver(function_resolver=lambda _: print))
    for path, item in SPEC["paths"].items()
    for method in item
    if method in ("get", "put", "post", "delete", "patch")
]


def _sample(schema: dict[str, Any]) -> Any:
    # What the URI parser hands over: strings, and lists of them for arrays.
    kind = schema.get("type")
    if kind == "array":
        return [_sample(schema.get("items", {})), _sample(schema.get("items", {}))]
    return {"integer": "7", "number": "1.5", "boolean": "true"}.get(kind, "abc")


def _request(operation: OpenAPIOperation, with_query: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    path = {p["name"]: _sample(p.get("schema", {})) for p in operation.parameters if p["in"] == "path"}
    # Without query parameters, the contract's defaults fill in.
    query = {p["name"]: _sample(p.get("schema", {})) for p in operation.parameters if p["in"] == "query" and with_query}
    query["undeclared"] = "ignored"
    return path, query


def _callers(operation: OpenAPIOperation) -> list[tuple[list[str], bool]]:
    everything = [sanitized(p["name"]) for p in operation.parameters] + ["body"]
    # A handler taking all, one taking the path parameters only, one taking **kwargs.
    path_only = [sanitized(p["name"]) for p in operation.parameters if p["in"] == "path"]
    return [(everything, False), (path_only, False), ([], True)]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o.method} {o.path}")
@pytest.mark.parametrize("body", [None, {"field": 1}], ids=["no body", "body"])
@pytest.mark.parametrize("with_query", [True, False], ids=["query", "defaults"])
@pytest.mark.parametrize("content_type", ["application/json", "application/xml"])
def test_plan_matches_get_arguments(
    operation: OpenAPIOperation, body: Any, with_query: bool, content_type: str
) -> None:
    path, query = _request(operation, with_query)
    for arguments, has_kwargs in _callers(operation):
        expected = get_arguments(
            operation,
            path_params=dict(path),
            query_params=dict(query),
            body=body,
            files={},
            arguments=arguments,
            has_kwargs=has_kwargs,
            sanitize=sanitized,
            content_type=content_type,
        )
        plan = ArgumentPlan(operation, arguments, has_kwargs, sanitized)
        assert plan.arguments(dict(path), dict(query), body, content_type) == expected


def test_every_contract_operation_is_compared() -> None:
    assert {o.operation_id for o in OPERATIONS} == set(CONTRACT.operations)
