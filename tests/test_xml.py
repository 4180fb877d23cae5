from __future__ import annotations

import pytest

from alertmock import xml

SCHEMA = {
    "type": "object",
    "xml": {"name": "tsResponse", "namespace": "http://tableau.com/api"},
    "properties": {
        "pagination": {"type": "object", "properties": {"pageNumber": {"type": "integer", "xml": {"attribute": True}}}},
        "alerts": {
            "type": "object",
            "xml": {"name": "dataAlerts"},
            "properties": {
                "dataAlert": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "xml": {"name": "dataAlert"},
                        "properties": {
                            "id": {"type": "string", "xml": {"attribute": True}},
                            "public": {"type": "boolean", "xml": {"attribute": True}},
                        },
                    },
                }
            },
        },
        "recipients": {
            "type": "array",
            "xml": {"wrapped": True},
            "items": {
                "type": "object",
                "xml": {"name": "recipient"},
                "properties": {"id": {"type": "string", "xml": {"attribute": True}}},
            },
        },
        "summary": {"type": "string"},
    },
}
DATA = {
    "pagination": {"pageNumber": 1},
    "alerts": {"dataAlert": [{"id": "a", "public": True}, {"id": "b", "public": False}]},
    "recipients": [{"id": "r1"}, {"id": "r2"}],
    "summary": "text & <escaped>",
}


def test_round_trip_follows_the_openapi_xml_object() -> None:
    raw = xml.dumps(DATA, SCHEMA)
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?><tsResponse xmlns="http://tableau.com/api">')
    assert b'<dataAlerts><dataAlert id="a" public="true" />' in raw
    assert b'<recipients><recipient id="r1" /><recipient id="r2" /></recipients>' in raw
    assert xml.loads(raw, SCHEMA) == DATA


def test_reading_ignores_the_namespace_and_coerces_by_schema() -> None:
    raw = b'<tsResponse><pagination pageNumber="3"/><dataAlerts><dataAlert id="x" public="false"/></dataAlerts></tsResponse>'
    assert xml.loads(raw, SCHEMA) == {
        "pagination": {"pageNumber": 3},
        "alerts": {"dataAlert": [{"id": "x", "public": False}]},
    }


def test_a_single_item_still_reads_as_a_list() -> None:
    raw = b'<tsResponse xmlns="http://tableau.com/api"><dataAlerts><dataAlert id="x"/></dataAlerts></tsResponse>'
    assert xml.loads(raw, SCHEMA)["alerts"]["dataAlert"] == [{"id": "x"}]


def test_values_that_do_not_coerce_stay_strings_for_the_validator_to_reject() -> None:
    assert xml.loads(b'<r><pagination pageNumber="one"/></r>', SCHEMA) == {"pagination": {"pageNumber": "one"}}


@pytest.mark.parametrize(
    "hostile",
    [
        b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>',
        b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        b'<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>',
        b"<r><unclosed></r>",
        b"",
        b"\xff\xfe<r/>",
    ],
)
def test_bombs_external_entities_and_garbage_are_refused(hostile: bytes) -> None:
    with pytest.raises(xml.XMLError):
        xml.loads(hostile)


def test_characters_xml_cannot_carry_are_replaced_not_written_raw() -> None:
    raw = xml.dumps({"summary": "nul\x00 and \x1b escape"}, SCHEMA)
    assert xml.loads(raw, SCHEMA) == {"summary": "nul\ufffd and \ufffd escape"}


def test_a_repeated_single_element_reads_as_a_list_for_the_validator_to_refuse() -> None:
    raw = b"<tsResponse><summary>a</summary><summary>b</summary><summary>c</summary></tsResponse>"
    assert xml.loads(raw, SCHEMA) == {"summary": ["a", "b", "c"]}


def test_text_where_an_object_belongs_reads_as_text() -> None:
    assert xml.loads(b"<tsResponse><pagination>null</pagination></tsResponse>", SCHEMA) == {"pagination": "null"}
