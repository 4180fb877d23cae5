"""The planned argument mapping gives every handler exactly what Connexion's `get_arguments` gives it."""

from __future__ import annotations

from typing import Any

import pytest
from connexion.decorators.parameter import get_arguments, sanitized
from connexion.operations import OpenAPIOperation
from connexion.resolver import Resolver
from connexion.spec import Specification

from alertmock import Config
from alertmock.contract.document import Contract
from alertmock.framework.speed.argument_plan import ArgumentPlan

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


def _operation_with_defaults() -> OpenAPIOperation:
    spec = Specification.load(
        {
            "openapi": "3.0.3",
            "info": {"title": "defaults", "version": "1"},
            "paths": {
                "/things/{thing-id}": {
                    "get": {
                        "operationId": "things.get",
                        "parameters": [
                            {"name": "thing-id", "in": "path", "required": True, "schema": {"type": "string"}},
                            {"name": "size", "in": "query", "schema": {"type": "integer", "default": 1}},
                            {"name": "flag", "in": "query", "schema": {"type": "boolean", "default": True}},
                            {"name": "word", "in": "query", "schema": {"type": "string", "default": "a"}},
                            {
                                "name": "tags",
                                "in": "query",
                                "schema": {"type": "array", "items": {"type": "string"}, "default": ["x"]},
                            },
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )
    return OpenAPIOperation.from_spec(
        spec, path="/things/{thing-id}", method="get", resolver=Resolver(function_resolver=lambda _: print)
    )


@pytest.mark.parametrize(
    "query",
    [{}, {"size": 1.0}, {"flag": 1}, {"size": 5, "word": "b"}, {"tags": ["y"]}, {"other": "z"}],
)
@pytest.mark.parametrize("scalar_only", [True, False], ids=["scalar defaults", "an array default"])
def test_defaults_merge_as_get_arguments_does_value_for_value_and_type_for_type(
    query: dict[str, Any], scalar_only: bool
) -> None:
    operation = _operation_with_defaults()
    if scalar_only:
        operation._parameters = [p for p in operation.parameters if p["name"] != "tags"]
    arguments, path = ["thing_id", "size", "flag", "word", "tags", "other"], {"thing_id": "t1"}
    for _ in range(2):  # the second request reads what the first planned
        expected = get_arguments(
            operation,
            path_params=dict(path),
            query_params=dict(query),
            body=None,
            files={},
            arguments=arguments,
            has_kwargs=False,
            sanitize=sanitized,
            content_type="application/json",
        )
        plan = ArgumentPlan(operation, arguments, False, sanitized)
        got = plan.arguments(dict(path), dict(query), None, "application/json")
        assert got == expected
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}
        if "tags" in got:
            got["tags"].append("changed by a handler")  # never seen by the next request
