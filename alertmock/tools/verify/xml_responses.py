"""Tableau's XML answers as the data their schema describes, so response_schema_conformance applies.

Registered by an explicit call (`register_xml_deserializer`): verify's Schemathesis hooks and the
in-process contract suite each make it; importing this module changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alertmock import xml

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
    return xml.loads(response.content, schema)


def register_xml_deserializer() -> None:
    import schemathesis

    schemathesis.deserializer(*XML_MEDIA_TYPES)(deserialize_xml)
