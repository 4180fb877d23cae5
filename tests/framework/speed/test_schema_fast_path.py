"""The validators' fast path (jsonschema_rs) answers exactly as jsonschema does.

Only its "valid" is trusted (a "no" runs jsonschema for the errors), so what must never happen is
jsonschema_rs accepting what jsonschema refuses; under `oneOf` and `not` a stricter answer would
flip into a more lenient one, so these tests pin exact agreement: on the contract's own request
schemas with their examples and many broken variants, and on the places where the two libraries
are known to differ (patterns, formats, 64-bit bounds, Connexion's `nullable`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from jsonschema import Draft4Validator, FormatChecker

from alertmock.contract.document import resolve_document
from alertmock.framework.speed.schema_fast_path import _fast_path, accepts, compiled
from alertmock.framework.validators import FORMAT_CHECKER

ROOT = Path(__file__).resolve().parents[3]
BODY_FORMATS = Draft4Validator.FORMAT_CHECKER

# Values that trip the known differences: bool/int/float typing, 64-bit limits, `$` before a
# trailing newline, empty strings, containers where scalars are expected.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.0,
    0.5,
    2**63 - 1,
    2**63,
    -(2**63),
    float(2**63),
    float(-(2**63)),
    "",
    "x",
    "5m",
    "5m\n",
    "1h30m",
    "true",
    "2026-06-10T07:08:13Z",
    "6d3b4a8e-0f5f-4c8e-9d4e-2a1b3c4d5e6f",
    [],
    ["x"],
    {},
    {"x": 1},
]


def _contract() -> dict[str, Any]:
    return resolve_document(ROOT / "openapi.yaml")


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
                yield f"{method.upper()} {template}", operation, parameters


def _request_bodies() -> list[tuple[str, dict[str, Any], list[Any]]]:
    found = []
    for name, operation, _ in _operations(_contract()):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if "schema" not in media:
                continue
            examples = [e["value"] for e in media.get("examples", {}).values() if "value" in e]
            examples += [media["example"]] if "example" in media else []
            found.append((f"{name} {media_type}", media["schema"], [e for e in examples if not isinstance(e, str)]))
    return found


def _parameters() -> list[tuple[str, dict[str, Any], list[Any]]]:
    found = []
    for name, _, parameters in _operations(_contract()):
        for parameter in parameters:
            examples = [parameter["example"]] if "example" in parameter else []
            examples += [e["value"] for e in parameter.get("examples", {}).values() if "value" in e]
            found.append((f"{name} {parameter['name']}", parameter.get("schema", parameter), examples))
    return found


def _variants(value: Any) -> Iterator[Any]:
    """`value`, then copies with one place broken: each leaf replaced, each key dropped, one added."""
    yield value
    yield from ODD_VALUES
    if isinstance(value, dict):
        for key in value:
            for replacement in _variants(value[key]):
                yield {**value, key: replacement}
            yield {k: v for k, v in value.items() if k != key}
        yield {**value, "unexpected": "x"}
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for replacement in _variants(item):
                changed = copy.copy(value)
                changed[index] = replacement
                yield changed
        yield [*value, *value]


def _assert_agree(schema: dict[str, Any], cls: type, formats: FormatChecker, instance: Any) -> None:
    expected = compiled(schema, cls, formats).is_valid(instance)
    assert accepts(schema, cls, instance, formats) is expected, instance


BODIES = _request_bodies()
PARAMETERS = _parameters()


@pytest.mark.parametrize(("name", "schema", "examples"), BODIES, ids=[b[0] for b in BODIES])
def test_every_request_body_schema_gets_a_fast_path_that_agrees(name: str, schema: Any, examples: list[Any]) -> None:
    assert _fast_path(schema, Draft4RequestValidator, BODY_FORMATS) is not None
    assert examples, "the contract documents an example for every JSON request body"
    for example in examples:
        assert accepts(schema, Draft4RequestValidator, example), example
        for variant in _variants(example):
            _assert_agree(schema, Draft4RequestValidator, BODY_FORMATS, variant)


@pytest.mark.parametrize(("name", "schema", "examples"), PARAMETERS, ids=[p[0] for p in PARAMETERS])
def test_every_parameter_schema_gets_a_fast_path_that_agrees(name: str, schema: Any, examples: list[Any]) -> None:
    assert _fast_path(schema, Draft4Validator, FORMAT_CHECKER) is not None
    for example in examples:
        for variant in _variants(example):
            _assert_agree(schema, Draft4Validator, FORMAT_CHECKER, variant)


DURATION_PATTERN = "^(0|([0-9]{1,6}h)?([0-9]{1,7}m)?([0-9]{1,9}(ns|us|µs|μs|ms|s))?)$"

# Schemas where jsonschema_rs on its own would answer differently from jsonschema.
DIFFERENCES: list[tuple[str, dict[str, Any]]] = [
    # Python's `$` also matches before a trailing newline; ECMA's does not. Inside `oneOf`, a
    # stricter branch makes the whole more lenient.
    ("pattern", {"type": "string", "pattern": DURATION_PATTERN}),
    ("pattern under oneOf", {"oneOf": [{"pattern": "^5m$"}, {"type": "string", "minLength": 3}]}),
    ("pattern under not", {"not": {"pattern": "^5m$"}}),
    # jsonschema_rs refuses float(-2**63) against an integer minimum of -2**63; Python does not.
    ("64-bit bounds", {"type": "number", "minimum": -(2**63), "maximum": 2**63 - 1}),
    ("exclusive bounds", {"minimum": 0, "exclusiveMinimum": True, "maximum": 2**63, "exclusiveMaximum": True}),
    ("bounds under oneOf", {"oneOf": [{"minimum": -(2**63)}, {"type": "number", "maximum": 0}]}),
    # jsonschema_rs checks formats jsonschema's checker does not know (uuid, date).
    ("unchecked format under oneOf", {"oneOf": [{"format": "date"}, {"type": "string"}]}),
    ("unchecked format under not", {"not": {"format": "date"}}),
    ("checked format", {"type": "string", "format": "date-time"}),
    ("checked format under not", {"not": {"format": "date-time"}}),
    ("numeric enum", {"enum": [1, 2.5, [1], {"x": 1}]}),
    ("string enum", {"enum": ["5m", "x"]}),
    ("object", {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}}}),
    ("closed object", {"type": "object", "properties": {"x": {}}, "additionalProperties": False}),
    ("typed extras", {"type": "object", "additionalProperties": {"type": "integer"}}),
    ("array", {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 1}),
    ("unique items", {"type": "array", "uniqueItems": True}),
    ("multiple of", {"type": "number", "multipleOf": 0.5}),
    ("type list", {"type": ["integer", "string"]}),
    ("anyOf and allOf", {"anyOf": [{"type": "integer"}, {"allOf": [{"type": "string"}, {"minLength": 1}]}]}),
    # Connexion's extension: null passes `type` and `enum` of the same schema object only.
    ("nullable", {"type": "string", "nullable": True, "minLength": 1}),
    ("x-nullable", {"type": "integer", "x-nullable": True}),
    ("nullable enum", {"enum": ["x"], "nullable": True}),
    ("nullable numeric enum", {"enum": [1], "nullable": True}),
    ("nullable is not inherited", {"nullable": True, "allOf": [{"type": "string"}]}),
    ("nullable under oneOf", {"oneOf": [{"type": "string", "nullable": True}, {"type": "null"}]}),
]


@pytest.mark.parametrize("cls", [Draft4RequestValidator, Draft4Validator])
@pytest.mark.parametrize(("name", "schema"), DIFFERENCES, ids=[d[0] for d in DIFFERENCES])
def test_known_differences_are_answered_as_jsonschema_does(name: str, schema: dict[str, Any], cls: type) -> None:
    assert _fast_path(schema, cls, BODY_FORMATS) is not None
    for formats in (BODY_FORMATS, FORMAT_CHECKER):
        for value in _variants({"x": 1, "y": ["5m", None]}):
            _assert_agree(schema, cls, formats, value)


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "string", "pattern": "^5m$"}, "5m\n", True),
        ({"minimum": -(2**63)}, float(-(2**63)), True),
        ({"type": "string", "nullable": True}, None, True),
        # Both branches hold for jsonschema, which does not check "date": a oneOf failure.
        ({"oneOf": [{"format": "date"}, {"type": "string"}]}, "not-a-date", False),
    ],
)
def test_where_jsonschema_rs_alone_would_answer_otherwise_the_fast_path_does_not(
    schema: dict[str, Any], value: Any, valid: bool
) -> None:
    assert jsonschema_rs.Draft4Validator(schema).is_valid(value) is not valid
    assert compiled(schema, Draft4RequestValidator).is_valid(value) is valid
    assert accepts(schema, Draft4RequestValidator, value) is valid


def test_the_parameters_formats_are_checked_on_the_fast_path_too() -> None:
    for schema, good, bad in [
        ({"type": "string", "format": "uuid"}, "6d3b4a8e-0f5f-4c8e-9d4e-2a1b3c4d5e6f", "x"),
        ({"type": "integer", "format": "int32"}, 2**31 - 1, 2**31),
        ({"type": "integer", "format": "int64"}, -(2**63), 2**63),
    ]:
        assert accepts(schema, Draft4Validator, good, FORMAT_CHECKER)
        assert not accepts(schema, Draft4Validator, bad, FORMAT_CHECKER)
        # Request bodies use jsonschema's own checker, which knows none of these three.
        assert accepts(schema, Draft4RequestValidator, bad)


@pytest.mark.parametrize(
    "schema",
    [
        {"patternProperties": {"^x": {"type": "string"}}},
        {"items": [{"type": "string"}]},
        {"dependencies": {"x": ["y"]}},
        {"$ref": "#/definitions/x", "definitions": {"x": {}}},
        {"type": "file"},
        {"properties": {"x": "not a schema"}},
    ],
)
def test_what_the_fast_path_cannot_answer_exactly_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert _fast_path(schema, Draft4RequestValidator, BODY_FORMATS) is None
    assert accepts(schema, Draft4RequestValidator, {"x": 1}) is False


def test_a_recursive_schema_is_left_to_jsonschema() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    schema["properties"]["child"] = schema
    assert _fast_path(schema, Draft4RequestValidator, BODY_FORMATS) is None


def test_response_validation_keeps_jsonschema_alone() -> None:
    # Its writeOnly keyword is not one the fast path knows.
    assert _fast_path({"type": "object"}, Draft4ResponseValidator, BODY_FORMATS) is None
