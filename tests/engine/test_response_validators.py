"""The response validators the engine adds to Connexion's (used by --validate-responses and the tests)."""

from __future__ import annotations

import pytest
from connexion.exceptions import NonConformingResponseBody

from alertmock.framework.validators import NDJSONResponseBodyValidator, XMLResponseBodyValidator

LINE = {"type": "object", "required": ["sequence"], "properties": {"sequence": {"type": "integer"}}}
ITEM = {
    "type": "object",
    "xml": {"name": "item"},
    "required": ["id"],
    "properties": {"id": {"type": "integer", "xml": {"attribute": True}}},
}


def _check(validator_class, schema, body: bytes) -> None:  # type: ignore[no-untyped-def]
    validator = validator_class({}, schema=schema, encoding="utf-8")
    validator._validate(validator._parse(iter([body])))


def test_ndjson_checks_every_line() -> None:
    _check(NDJSONResponseBodyValidator, LINE, b'{"sequence": 0}\n{"sequence": 1}\n')
    with pytest.raises(NonConformingResponseBody):
        _check(NDJSONResponseBodyValidator, LINE, b'{"sequence": 0}\n{"sequence": "one"}\n')
    with pytest.raises(NonConformingResponseBody):
        _check(NDJSONResponseBodyValidator, LINE, b'{"sequence": 0}\nnot json\n')


def test_xml_is_read_by_schema_then_validated() -> None:
    _check(XMLResponseBodyValidator, ITEM, b'<item id="3"/>')
    with pytest.raises(NonConformingResponseBody):
        _check(XMLResponseBodyValidator, ITEM, b"<item/>")
    with pytest.raises(NonConformingResponseBody):
        _check(XMLResponseBodyValidator, ITEM, b"<item")
