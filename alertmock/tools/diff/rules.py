"""The rule table: every kind of change `alertmock diff` reports, with its id, level and axes.

Modelled on oasdiff's `checker/rules.go`: an id a reviewer can put in a severity or ignore file,
a level (ERR breaks a client, WARN may, INFO does not), the direction the change concerns (the
request a client sends, the response it reads, or neither), the area and the kind of change.
Where a level differs from oasdiff's, the summary says why. XML wire rules are ours: oasdiff does
not read the `xml` object, yet Tableau's clients find attributes and elements by those names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    INFO = 0
    WARN = 1
    ERR = 2


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    direction: str  # "request", "response" or "none"
    area: str  # paths, parameters, request-body, schema, responses, headers, security, xml, info
    kind: str  # existence, requiredness, type, values, constraints, lifecycle, wire
    summary: str


E, W, I = Level.ERR, Level.WARN, Level.INFO  # noqa: E741 (the table reads as levels)

_RULES: list[Rule] = [
    # Paths and operations.
    Rule("api-path-removed-without-deprecation", E, "none", "paths", "existence", "a path a client calls is gone"),
    Rule("api-path-removed-with-deprecation", W, "none", "paths", "existence", "a deprecated path is gone"),
    Rule("api-removed-without-deprecation", E, "none", "paths", "existence", "an operation a client calls is gone"),
    Rule("api-removed-with-deprecation", W, "none", "paths", "existence", "a deprecated operation is gone"),
    Rule("api-path-added", I, "none", "paths", "existence", "a new path"),
    Rule("endpoint-added", I, "none", "paths", "existence", "a new operation on an existing path"),
    Rule("api-deprecated", I, "none", "paths", "lifecycle", "an operation is now deprecated"),
    Rule(
        "api-operation-id-updated", I, "none", "paths", "structure", "the operationId changed (generated SDKs rename)"
    ),
    Rule("api-tag-added", I, "none", "paths", "structure", "an operation got a tag"),
    Rule("api-tag-removed", I, "none", "paths", "structure", "an operation lost a tag"),
    # Security.
    Rule(
        "api-security-added",
        E,
        "request",
        "security",
        "requiredness",
        "a credential the client did not send is now required",
    ),
    Rule("api-security-removed", I, "request", "security", "requiredness", "fewer credentials are enough"),
    Rule("api-security-alternative-added", I, "request", "security", "requiredness", "another credential is accepted"),
    Rule(
        "api-security-scope-added",
        E,
        "request",
        "security",
        "requiredness",
        "a scope the client's token may lack is required",
    ),
    Rule(
        "api-security-scheme-changed",
        E,
        "request",
        "security",
        "type",
        "a required scheme is sent differently (type, header name, ...)",
    ),
    # Request: parameters.
    Rule(
        "new-required-request-parameter",
        E,
        "request",
        "parameters",
        "existence",
        "clients do not send the new parameter",
    ),
    Rule("new-optional-request-parameter", I, "request", "parameters", "existence", "a new optional parameter"),
    Rule(
        "request-parameter-removed",
        W,
        "request",
        "parameters",
        "existence",
        "a parameter clients may send is no longer documented",
    ),
    Rule(
        "request-parameter-became-required",
        E,
        "request",
        "parameters",
        "requiredness",
        "clients that leave it out fail",
    ),
    Rule(
        "request-parameter-became-optional", I, "request", "parameters", "requiredness", "a parameter is now optional"
    ),
    # Request: body.
    Rule("new-required-request-body", E, "request", "request-body", "existence", "clients send no body"),
    Rule("new-optional-request-body", I, "request", "request-body", "existence", "a new optional body"),
    Rule(
        "request-body-removed",
        W,
        "request",
        "request-body",
        "existence",
        "the body clients send is no longer documented",
    ),
    Rule(
        "request-body-became-required", E, "request", "request-body", "requiredness", "clients that send no body fail"
    ),
    Rule("request-body-became-optional", I, "request", "request-body", "requiredness", "the body is now optional"),
    Rule(
        "request-body-media-type-removed",
        E,
        "request",
        "request-body",
        "existence",
        "a media type clients send is refused",
    ),
    Rule("request-body-media-type-added", I, "request", "request-body", "existence", "a new request media type"),
    Rule("new-required-request-property", E, "request", "schema", "existence", "clients do not send the new property"),
    Rule("new-optional-request-property", I, "request", "schema", "existence", "a new optional property"),
    Rule(
        "request-property-removed",
        W,
        "request",
        "schema",
        "existence",
        "a property clients may send is no longer documented",
    ),
    Rule("request-property-became-required", E, "request", "schema", "requiredness", "clients that leave it out fail"),
    Rule("request-property-became-optional", I, "request", "schema", "requiredness", "a property is now optional"),
    # Responses.
    Rule(
        "response-success-status-removed", E, "response", "responses", "existence", "clients expect this success status"
    ),
    Rule(
        "response-non-success-status-removed",
        I,
        "response",
        "responses",
        "existence",
        "an error status is no longer documented",
    ),
    Rule("response-success-status-added", I, "response", "responses", "existence", "a new success status"),
    Rule("response-non-success-status-added", I, "response", "responses", "existence", "a new error status"),
    Rule(
        "response-media-type-removed",
        E,
        "response",
        "responses",
        "existence",
        "clients that ask for it get nothing they can read",
    ),
    Rule("response-media-type-added", I, "response", "responses", "existence", "a new response media type"),
    Rule(
        "response-required-property-removed",
        E,
        "response",
        "schema",
        "existence",
        "clients read a property no longer sent",
    ),
    Rule(
        "response-optional-property-removed",
        W,
        "response",
        "schema",
        "existence",
        "an optional property clients may read is gone",
    ),
    Rule(
        "response-property-became-optional",
        E,
        "response",
        "schema",
        "requiredness",
        "clients index a property that may be missing",
    ),
    Rule("response-property-became-required", I, "response", "schema", "requiredness", "a property is now always sent"),
    Rule("response-required-property-added", I, "response", "schema", "existence", "a new property, always sent"),
    Rule("response-optional-property-added", I, "response", "schema", "existence", "a new optional property"),
    Rule(
        "response-required-header-removed",
        E,
        "response",
        "headers",
        "existence",
        "clients read a header no longer sent",
    ),
    Rule("response-optional-header-removed", W, "response", "headers", "existence", "an optional header is gone"),
    Rule(
        "response-header-became-optional",
        E,
        "response",
        "headers",
        "requiredness",
        "clients read a header that may be missing",
    ),
    Rule("response-header-added", I, "response", "headers", "existence", "a new response header"),
    # The contract as a whole.
    Rule("api-version-not-bumped", E, "none", "info", "lifecycle", "a breaking change kept info.version"),
]

# Schema rules shared by every place a schema sits: the id is the place's prefix and the suffix.
# Request side: what a client sends must still be accepted, so tightening is ERR, relaxing INFO.
# oasdiff levels pattern-added WARN (it cannot tell a new pattern from an equivalent one); adding a
# pattern where there was none can only refuse values clients send, so it is ERR here.
_REQUEST_SCHEMA = [
    ("type-changed", E, "type", "values of the old type are refused"),
    ("type-generalized", I, "type", "every old value is still accepted (integer to number, a format dropped)"),
    ("enum-value-removed", E, "values", "clients may send the removed value"),
    ("enum-value-added", I, "values", "a new accepted value"),
    ("max-decreased", E, "constraints", "values under the old maximum are refused"),
    ("max-increased", I, "constraints", "a larger maximum (or none)"),
    ("min-increased", E, "constraints", "values over the old minimum are refused"),
    ("min-decreased", I, "constraints", "a smaller minimum (or none)"),
    ("max-length-decreased", E, "constraints", "longer values are refused"),
    ("max-length-increased", I, "constraints", "a longer maxLength (or none)"),
    ("min-length-increased", E, "constraints", "shorter values are refused"),
    ("min-length-decreased", I, "constraints", "a shorter minLength (or none)"),
    ("max-items-decreased", E, "constraints", "longer lists are refused"),
    ("min-items-increased", E, "constraints", "shorter lists are refused"),
    ("pattern-added", E, "constraints", "values not matching the new pattern are refused"),
    ("pattern-changed", W, "constraints", "values matching only the old pattern are refused"),
    ("pattern-removed", I, "constraints", "any string is accepted"),
    ("became-not-nullable", E, "values", "clients sending null are refused"),
    ("default-value-changed", W, "values", "clients leaving it out get another behaviour"),
]
# Response side: what the server sends must still be readable, so widening is what breaks.
_RESPONSE_SCHEMA = [
    ("type-changed", E, "type", "clients parse the old type"),
    ("enum-value-added", W, "values", "clients may not handle the new value"),
    ("enum-value-removed", I, "values", "a value is no longer sent"),
    ("became-nullable", E, "values", "clients do not expect null"),
]
_XML = [
    ("xml-name-changed", "the element or attribute name on the wire changed"),
    ("xml-attribute-changed", "an attribute became an element or the reverse"),
    ("xml-namespace-changed", "the XML namespace changed"),
    ("xml-wrapped-changed", "a list gained or lost its wrapping element"),
]


def _schema_rules() -> list[Rule]:
    rules = []
    for prefix, table, direction in (
        ("request-parameter", _REQUEST_SCHEMA, "request"),
        ("request-property", _REQUEST_SCHEMA, "request"),
        ("response-property", _RESPONSE_SCHEMA, "response"),
        ("response-header", _RESPONSE_SCHEMA, "response"),
    ):
        area = "parameters" if prefix == "request-parameter" else "headers" if prefix == "response-header" else "schema"
        rules += [Rule(f"{prefix}-{suffix}", level, direction, area, kind, text) for suffix, level, kind, text in table]
    for prefix, direction in (("request-property", "request"), ("response-property", "response")):
        rules += [Rule(f"{prefix}-{suffix}", E, direction, "xml", "wire", text) for suffix, text in _XML]
    return rules


RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES + _schema_rules()}
