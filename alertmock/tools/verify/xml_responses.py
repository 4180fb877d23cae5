"""Tableau's XML answers as the data their schema describes, so response_schema_conformance applies.

Registered by an explicit call (`register_xml_deserializer`): verify's Schemathesis hooks and the
in-process contract suite each make it; importing this module changes nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from alertmock.contract import xml

if TYPE_CHECKING:
    import schemathesis

XML_MEDIA_TYPES = ("application/xml", "text/xml")


def _documented_schema(operation: Any, status: int, media_type: str) -> Mapping[str, Any]:
    """The response schema the contract documents for this status and media type, or {}."""
    definition = operation.responses.find_by_status_code(status)
    if definition is None:
        return {}
    content = definition.definition.get("content") or {}
    media = content.get(media_type) or next((m for t, m in content.items() if "xml" in t), {})
    schema = media.get("schema") or {}
    # A bundled contract has no $ref left; an unbundled one gives the generic reading (no typing
    # of attribute strings), which is still well-formedness plus element structure.
    return {} if "$ref" in schema else schema


def deserialize_xml(ctx: schemathesis.DeserializationContext, response: schemathesis.Response) -> Any:
    media_type = response.headers.get("content-type", ["application/xml"])[0].split(";")[0].strip().lower()
    schema = _documented_schema(ctx.operation, response.status_code, media_type)
    _check_root(response.content, schema)
    return xml.loads(response.content, schema)


def _check_root(raw: bytes, schema: Mapping[str, Any]) -> None:
    """The root element must be the documented one, in the documented namespace.

    Reading requests is tolerant (clients omit the namespace); an answer is not: Tableau's clients
    look elements up in ``http://tableau.com/api`` and find nothing in a document without it.
    """
    documented = schema.get("xml") or {}
    if not documented:
        return
    try:
        tag = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True).tag
    except (ET.ParseError, DefusedXmlException):
        return  # malformed: xml.loads says so
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    expected = (documented.get("namespace", ""), documented.get("name", name))
    if (namespace, name) != expected:
        found = f"{{{namespace}}}{name}" if namespace else name
        raise ValueError(f"root element {found}, documented as {{{expected[0]}}}{expected[1]}")


def register_xml_deserializer() -> None:
    import schemathesis

    schemathesis.deserializer(*XML_MEDIA_TYPES)(deserialize_xml)
