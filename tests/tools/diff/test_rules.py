"""Every rule of the table fires on a minimal before/after pair, at its level, with a file and line."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from alertmock.tools.diff.rules import RULES
from tests.tools.diff._support import diff, diff_json, document, ok, write

Case = tuple[dict[str, Any], dict[str, Any]]


def single(operation: dict[str, Any], method: str = "get", path: str = "/things/{id}") -> dict[str, Any]:
    operation.setdefault("responses", {"200": ok()})
    return document({path: {method: operation}})


def parameter_op(schema: Any, required: bool = False) -> dict[str, Any]:
    return single({"parameters": [{"name": "q", "in": "query", "required": required, "schema": schema}]})


def body_op(schema: Any, media: tuple[str, ...] = ("application/json", "application/xml")) -> dict[str, Any]:
    wrapped = {"type": "object", "properties": {"p": schema}}
    return single({"requestBody": {"required": True, "content": {m: {"schema": wrapped} for m in media}}}, "post")


def response_op(schema: Any) -> dict[str, Any]:
    wrapped = {"type": "object", "properties": {"p": schema}}
    return single({"responses": {"200": ok(wrapped, media=("application/json", "application/xml"))}})


def header_op(schema: Any) -> dict[str, Any]:
    return single({"responses": {"200": ok(headers={"X-H": {"schema": schema}})}})


STRING, INTEGER = {"type": "string"}, {"type": "integer"}


def _optional_body() -> dict[str, Any]:
    operation = body_op(STRING)
    operation["paths"]["/things/{id}"]["post"]["requestBody"]["required"] = False
    return operation


REQUEST_PAIRS: dict[str, tuple[Any, Any]] = {
    "type-changed": (STRING, INTEGER),
    "type-generalized": (INTEGER, {"type": "number"}),
    "enum-value-removed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "enum-value-added": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "max-decreased": ({"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}),
    "max-increased": ({"type": "integer", "maximum": 5}, {"type": "integer", "maximum": 10}),
    "min-increased": ({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 2}),
    "min-decreased": ({"type": "integer", "minimum": 2}, {"type": "integer", "minimum": 1}),
    "max-length-decreased": ({"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 5}),
    "max-length-increased": ({"type": "string", "maxLength": 5}, {"type": "string"}),
    "min-length-increased": ({"type": "string"}, {"type": "string", "minLength": 3}),
    "min-length-decreased": ({"type": "string", "minLength": 3}, {"type": "string", "minLength": 1}),
    "max-items-decreased": (
        {"type": "array", "items": STRING, "maxItems": 9},
        {"type": "array", "items": STRING, "maxItems": 2},
    ),
    "min-items-increased": ({"type": "array", "items": STRING}, {"type": "array", "items": STRING, "minItems": 1}),
    "pattern-added": (STRING, {"type": "string", "pattern": "^a"}),
    "pattern-changed": ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}),
    "pattern-removed": ({"type": "string", "pattern": "^a"}, STRING),
    "became-not-nullable": ({"type": "string", "nullable": True}, STRING),
    "default-value-changed": ({"type": "string", "default": "a"}, {"type": "string", "default": "b"}),
}
RESPONSE_PAIRS: dict[str, tuple[Any, Any]] = {
    "type-changed": (STRING, INTEGER),
    "enum-value-added": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "enum-value-removed": ({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}),
    "became-nullable": (STRING, {"type": "string", "nullable": True}),
}
XML_PAIRS: dict[str, tuple[Any, Any]] = {
    "xml-wrapped-changed": (
        {"type": "array", "items": STRING, "xml": {"wrapped": True}},
        {"type": "array", "items": STRING},
    ),
    "xml-name-changed": (
        {"type": "string", "xml": {"attribute": True}},
        {"type": "string", "xml": {"attribute": True, "name": "q"}},
    ),
    "xml-attribute-changed": ({"type": "string", "xml": {"attribute": True}}, STRING),
    "xml-namespace-changed": (
        {"type": "object", "xml": {"namespace": "http://tableau.com/api"}},
        {"type": "object", "xml": {"namespace": "http://tableau.com/api/v2"}},
    ),
}

CASES: dict[str, Case] = {}
for suffix, (old, new) in REQUEST_PAIRS.items():
    CASES[f"request-parameter-{suffix}"] = (parameter_op(old), parameter_op(new))
    CASES[f"request-property-{suffix}"] = (body_op(old), body_op(new))
for suffix, (old, new) in RESPONSE_PAIRS.items():
    CASES[f"response-property-{suffix}"] = (response_op(old), response_op(new))
    CASES[f"response-header-{suffix}"] = (header_op(old), header_op(new))
for suffix, (old, new) in XML_PAIRS.items():
    CASES[f"request-property-{suffix}"] = (body_op(old), body_op(new))
    CASES[f"response-property-{suffix}"] = (response_op(old), response_op(new))

GET = {"responses": {"200": ok()}}
DEPRECATED = {"deprecated": True, "responses": {"200": ok()}}
CASES.update(
    {
        "api-path-removed-without-deprecation": (document({"/a": {"get": GET}}), document({})),
        "api-path-removed-with-deprecation": (document({"/a": {"get": DEPRECATED}}), document({})),
        "api-removed-without-deprecation": (
            document({"/a": {"get": GET, "post": GET}}),
            document({"/a": {"get": GET}}),
        ),
        "api-removed-with-deprecation": (
            document({"/a": {"get": GET, "post": DEPRECATED}}),
            document({"/a": {"get": GET}}),
        ),
        "api-path-added": (document({}), document({"/a": {"get": GET}})),
        "endpoint-added": (document({"/a": {"get": GET}}), document({"/a": {"get": GET, "post": GET}})),
        "api-deprecated": (single({}), single({"deprecated": True})),
        "api-operation-id-updated": (single({"operationId": "a"}), single({"operationId": "b"})),
        "api-tag-added": (single({}), single({"tags": ["t"]})),
        "api-tag-removed": (single({"tags": ["t"]}), single({})),
        "api-security-added": (single({}), single({"security": [{"key": []}]})),
        "api-security-removed": (single({"security": [{"key": [], "basic": []}]}), single({"security": [{"key": []}]})),
        "api-security-alternative-added": (
            single({"security": [{"key": []}]}),
            single({"security": [{"key": []}, {"basic": []}]}),
        ),
        "api-security-scope-added": (
            single({"security": [{"key": ["r"]}]}),
            single({"security": [{"key": ["r", "w"]}]}),
        ),
        "new-required-request-parameter": (single({}), parameter_op(STRING, required=True)),
        "new-optional-request-parameter": (single({}), parameter_op(STRING)),
        "request-parameter-removed": (parameter_op(STRING), single({})),
        "request-parameter-became-required": (parameter_op(STRING), parameter_op(STRING, required=True)),
        "request-parameter-became-optional": (parameter_op(STRING, required=True), parameter_op(STRING)),
        "new-required-request-body": (single({}, "post"), body_op(STRING)),
        "new-optional-request-body": (
            single({}, "post"),
            single({"requestBody": {"content": {"application/json": {}}}}, "post"),
        ),
        "request-body-removed": (body_op(STRING), single({}, "post")),
        "request-body-became-required": (_optional_body(), body_op(STRING)),
        "request-body-became-optional": (body_op(STRING), _optional_body()),
        "request-body-media-type-removed": (body_op(STRING), body_op(STRING, media=("application/json",))),
        "request-body-media-type-added": (body_op(STRING, media=("application/json",)), body_op(STRING)),
        "request-property-removed": (
            body_op(STRING),
            single(
                {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}},
                "post",
            ),
        ),
        "response-success-status-removed": (single({}), single({"responses": {"201": ok()}})),
        "response-success-status-added": (single({}), single({"responses": {"200": ok(), "201": ok()}})),
        "response-non-success-status-removed": (single({"responses": {"200": ok(), "404": ok()}}), single({})),
        "response-non-success-status-added": (single({}), single({"responses": {"200": ok(), "404": ok()}})),
        "response-media-type-removed": (
            single({"responses": {"200": ok(STRING, media=("application/json", "text/plain"))}}),
            single({"responses": {"200": ok(STRING)}}),
        ),
        "response-media-type-added": (
            single({"responses": {"200": ok(STRING)}}),
            single({"responses": {"200": ok(STRING, media=("application/json", "text/plain"))}}),
        ),
        "response-required-header-removed": (
            single({"responses": {"200": ok(headers={"X-H": {"required": True, "schema": STRING}})}}),
            single({}),
        ),
        "response-optional-header-removed": (header_op(STRING), single({})),
        "response-header-became-optional": (
            single({"responses": {"200": ok(headers={"X-H": {"required": True, "schema": STRING}})}}),
            header_op(STRING),
        ),
        "response-header-added": (single({}), header_op(STRING)),
    }
)


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


def _request(properties: dict[str, Any], required: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return single(
        {"requestBody": {"content": {"application/json": {"schema": _object(properties, list(required))}}}}, "post"
    )


def _response(properties: dict[str, Any], required: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return single({"responses": {"200": ok(_object(properties, list(required)))}})


P = {"p": STRING}
CASES.update(
    {
        "new-required-request-property": (_request({}), _request(P, ["p"])),
        "new-optional-request-property": (_request({}), _request(P)),
        "request-property-became-required": (_request(P), _request(P, ["p"])),
        "request-property-became-optional": (_request(P, ["p"]), _request(P)),
        "response-required-property-removed": (_response(P, ["p"]), _response({})),
        "response-optional-property-removed": (_response(P), _response({})),
        "response-property-became-optional": (_response(P, ["p"]), _response(P)),
        "response-property-became-required": (_response(P), _response(P, ["p"])),
        "response-required-property-added": (_response({}), _response(P, ["p"])),
        "response-optional-property-added": (_response({}), _response(P)),
    }
)
_changed_scheme = single({"security": [{"key": []}]})
_changed_scheme["components"]["securitySchemes"]["key"]["name"] = "X-Api-Key"
CASES["api-security-scheme-changed"] = (single({"security": [{"key": []}]}), _changed_scheme)
CASES["api-version-not-bumped"] = (document({"/a": {"get": GET}}, version="1.2.0"), document({}, version="1.2.0"))


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(RULES)
    assert len(RULES) >= 40


def _run(tmp_path: Path, before: Any, after: Any) -> tuple[int, list[dict[str, Any]]]:
    write(tmp_path / "before.yaml", before)
    write(tmp_path / "after.yaml", after)
    return diff_json(tmp_path, "before.yaml", "after.yaml", "--fail-on", "ERR")


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_pair(tmp_path: Path, rule_id: str) -> None:
    before, after = CASES[rule_id]
    status, changes = _run(tmp_path, copy.deepcopy(before), copy.deepcopy(after))
    found = [c for c in changes if c["id"] == rule_id]
    assert found, f"{rule_id} not reported; got {[c['id'] for c in changes]}"
    assert {c["level"] for c in found} == {RULES[rule_id].level.name}
    assert all(c["file"] == "after.yaml" and isinstance(c["line"], int) for c in found), found
    assert status == (1 if any(c["level"] == "ERR" for c in changes) else 0)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_nothing_without_a_change(tmp_path: Path, rule_id: str) -> None:
    before, _ = CASES[rule_id]
    assert _run(tmp_path, before, copy.deepcopy(before)) == (0, [])


def test_xml_rules_only_where_the_wire_is_xml(tmp_path: Path) -> None:
    old, new = XML_PAIRS["xml-name-changed"]
    json_only = ("application/json",)
    assert _run(tmp_path, body_op(old, media=json_only), body_op(new, media=json_only)) == (0, [])


def test_a_shared_schema_is_reported_once_for_json_and_xml(tmp_path: Path) -> None:
    old, new = REQUEST_PAIRS["max-decreased"]
    _, changes = _run(tmp_path, body_op(old), body_op(new))
    assert [c["id"] for c in changes] == ["request-property-max-decreased", "api-version-not-bumped"]


def test_a_format_dropped_from_a_request_is_not_breaking(tmp_path: Path) -> None:
    with_format = {"type": "string", "format": "date-time"}
    _, changes = _run(tmp_path, parameter_op(with_format), parameter_op(STRING))
    assert [(c["id"], c["level"]) for c in changes] == [("request-parameter-type-generalized", "INFO")]
    _, changes = _run(tmp_path, parameter_op(STRING), parameter_op(with_format))
    assert [c["id"] for c in changes] == ["request-parameter-type-changed", "api-version-not-bumped"]


def test_a_type_on_an_untyped_request_schema_restricts_it(tmp_path: Path) -> None:
    _, changes = _run(tmp_path, body_op({}), body_op(STRING))
    assert [c["id"] for c in changes] == ["request-property-type-changed", "api-version-not-bumped"]
    _, changes = _run(tmp_path, response_op({}), response_op(STRING))
    assert changes == []


def test_a_bumped_version_is_not_reported(tmp_path: Path) -> None:
    before, after = CASES["api-version-not-bumped"]
    after = copy.deepcopy(after)
    after["info"]["version"] = "1.10.0"
    status, changes = _run(tmp_path, before, after)
    assert status == 1
    assert [c["id"] for c in changes] == ["api-path-removed-without-deprecation"]


def test_an_enum_dropped_from_a_request_accepts_any_value(tmp_path: Path) -> None:
    status, changes = _run(tmp_path, parameter_op({"type": "string", "enum": ["a", "b"]}), parameter_op(STRING))
    assert (status, [(c["id"], c["level"]) for c in changes]) == (0, [("request-parameter-enum-value-added", "INFO")])


def test_a_schema_shared_by_two_properties_is_reported_at_each(tmp_path: Path) -> None:
    def shared(maximum: int | None) -> dict[str, Any]:
        duration = {"type": "integer", **({"maximum": maximum} if maximum else {})}
        ref = {"$ref": "#/components/schemas/Duration"}
        before = body_op({"type": "object", "properties": {"first": ref, "second": ref}})
        before["components"]["schemas"] = {"Duration": duration}
        return before

    _, changes = _run(tmp_path, shared(None), shared(1000))
    found = sorted(c["location"] for c in changes if c["id"] == "request-property-max-decreased")
    assert len(found) == 2 and found[0].endswith("/first") and found[1].endswith("/second"), found


def test_a_malformed_side_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = single({"parameters": "not a list"})
    write(tmp_path / "before.yaml", single({}))
    write(tmp_path / "after.yaml", broken)
    assert diff(tmp_path, "before.yaml", "after.yaml")[0] == 2


def test_alternatives_reordered_are_no_change(tmp_path: Path) -> None:
    # oneOf and anyOf have no order; a changed alternative is still found among the moved ones.
    wide = {"type": "object", "properties": {"n": INTEGER}}
    for keyword in ("oneOf", "anyOf"):
        for op in (body_op, response_op):
            assert _run(tmp_path, op({keyword: [STRING, wide]}), op({keyword: [wide, STRING]}))[1] == []
        narrowed = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}
        _, changes = _run(tmp_path, body_op({keyword: [STRING, wide]}), body_op({keyword: [narrowed, STRING]}))
        assert [c["id"] for c in changes] == ["request-property-max-decreased", "api-version-not-bumped"]
