"""How a finding reads where people look: a JSON pointer and what the contract expected, on one line."""

from __future__ import annotations

from jsonschema import Draft4Validator

from alertmock.proxy.findings import MAX_MESSAGE_CHARS, Finding, schema_finding

SCHEMA = {
    "type": "object",
    "required": ["alert"],
    "properties": {
        "alert": {
            "type": "object",
            "required": ["metric", "limit"],
            "properties": {
                "limit": {"type": "number"},
                "metric": {"type": "string", "enum": ["cpu", "memory"]},
                "a/b": {"type": ["integer", "null"]},
            },
        }
    },
}


def _lines(instance: object) -> list[str]:
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [schema_finding("response.body", e).header() for e in errors]


def test_each_schema_error_names_its_place_and_what_was_expected() -> None:
    assert _lines({"alert": {"limit": "high", "metric": "disk", "a/b": 1.5}}) == [
        "response.body /alert/a~1b: expected integer or null",
        "response.body /alert/limit: expected number",
        "response.body /alert/metric: 'disk' is not one of ['cpu', 'memory']",
    ]
    assert _lines({}) == ["response.body /alert: required property missing"]
    assert _lines({"alert": {"metric": "cpu"}}) == ["response.body /alert/limit: required property missing"]


def test_a_header_line_is_one_short_latin1_line() -> None:
    finding = Finding("request.body", "/note", "line one\nline two — with a dash")
    assert finding.header() == "request.body /note: line one line two ? with a dash"
    long = schema_finding("response.body", next(Draft4Validator({"enum": ["x" * 300]}).iter_errors("y")))
    assert len(long.message) == MAX_MESSAGE_CHARS
    assert long.message.endswith("...")
