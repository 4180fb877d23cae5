"""Loading a contract: the fast check passes the real one, and every verdict is Connexion's own."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import OpenAPISpecification

from alertmock import Config
from alertmock.app.factory import CONTROLS_SPEC
from alertmock.contract.document import Contract
from alertmock.framework.speed.spec_check import CheckedSpecification, passes_fast_check

CONTRACT = Contract(Config().spec).resolved
SMALL: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items": {
            "get": {
                "parameters": [{"name": "size", "in": "query", "schema": {"type": "integer", "default": 20}}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _variant(change: str) -> dict[str, Any]:
    doc = copy.deepcopy(SMALL)
    get = doc["paths"]["/items"]["get"]
    if change == "no info":
        del doc["info"]
    elif change == "path without slash":
        doc["paths"]["items"] = doc["paths"].pop("/items")
    elif change == "bad status code":
        get["responses"]["2000"] = get["responses"].pop("200")
    elif change == "default of the wrong type":
        get["parameters"][0]["schema"]["default"] = "twenty"
    elif change == "null default, nullable":
        get["parameters"][0]["schema"].update(default=None, nullable=True)
    elif change == "null default, not nullable":
        get["parameters"][0]["schema"]["default"] = None
    elif change == "example holding a default key":
        get["responses"]["200"]["content"] = {
            "application/json": {"schema": {"type": "object"}, "example": {"default": "not a schema"}}
        }
    elif change == "unknown keyword":
        get["x-note"] = "extensions are allowed"
        get["operationIdentifier"] = "not an OpenAPI field"
    return doc


CHANGES = [
    "none",
    "no info",
    "path without slash",
    "bad status code",
    "default of the wrong type",
    "null default, nullable",
    "null default, not nullable",
    "example holding a default key",
    "unknown keyword",
]


def _verdict(cls: type[OpenAPISpecification], doc: dict[str, Any]) -> str:
    try:
        cls(copy.deepcopy(doc))
    except InvalidSpecification as exc:
        return f"invalid: {exc.message}"
    return "valid"


@pytest.mark.parametrize("change", CHANGES)
def test_same_verdict_and_message_as_connexion(change: str) -> None:
    doc = _variant(change)
    assert _verdict(CheckedSpecification, doc) == _verdict(OpenAPISpecification, doc)


@pytest.mark.parametrize("document", [CONTRACT, Contract(CONTROLS_SPEC).resolved], ids=["contract", "controls"])
def test_alertmocks_own_contracts_take_the_fast_way(document: dict[str, Any]) -> None:
    assert passes_fast_check(copy.deepcopy(document))


WITH_LOCAL_REF: dict[str, Any] = {
    **copy.deepcopy(SMALL),
    "components": {"schemas": {"Size": {"type": "integer", "default": 20}}},
}
WITH_LOCAL_REF["paths"]["/items"]["get"]["parameters"][0]["schema"] = {"$ref": "#/components/schemas/Size"}
WITH_INTEGER_STATUS = copy.deepcopy(SMALL)
WITH_INTEGER_STATUS["paths"]["/items"]["get"]["responses"] = {200: {"description": "ok"}}


@pytest.mark.parametrize(
    "document",
    [CONTRACT, Contract(CONTROLS_SPEC).resolved, WITH_LOCAL_REF, WITH_INTEGER_STATUS],
    ids=["contract", "controls", "a $ref left", "integer status code"],
)
def test_the_specification_is_the_one_connexion_builds(document: dict[str, Any]) -> None:
    checked = CheckedSpecification(document)
    stock = OpenAPISpecification.from_dict(copy.deepcopy(document))
    assert checked.spec == stock.spec
    # What Swagger UI serves: the raw document, cloned with a base path.
    assert checked.with_base_path("/v1").spec == stock.with_base_path("/v1").spec


def test_the_callers_document_is_left_as_it_was() -> None:
    document = copy.deepcopy(CONTRACT)
    checked = CheckedSpecification(document)
    checked.base_path = "/elsewhere"  # as Connexion's API does when given a base path
    for path_item in checked.spec["paths"].values():
        for operation in path_item.values():
            operation["x-changed"] = True
    assert document == CONTRACT
