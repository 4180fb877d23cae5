"""XML <-> data, following the OpenAPI ``xml`` object, so one schema describes both wire formats.

Writing: the root element is the schema's ``xml.name`` in its ``xml.namespace``; a property with
``xml.attribute`` becomes an attribute; any other property a child element (an object with its own
attributes and children, a scalar with text); an array repeats its items' element (named by the
items' ``xml.name``, else the property's), inside a wrapper element when ``xml.wrapped``.

Reading is the reverse and tolerant of what clients send: with or without the namespace, attribute
strings coerced to the schema's boolean/integer/number, unknown attributes and elements kept (as
strings and dicts) for the validator to judge. Parsing goes through defusedxml: a DTD, an entity
declaration or an external reference is refused, so an XML bomb never expands.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from alertmock.schemas import effective

Schema = Mapping[str, Any]

__all__ = ["XMLError", "dumps", "loads"]


class XMLError(ValueError):
    """The body is not well-formed XML, or uses DTDs or entities (refused)."""


def dumps(data: Any, schema: Schema, root: str | None = None) -> bytes:
    info = schema.get("xml", {})
    name = root or info.get("name", "root")
    namespace = info.get("namespace")
    element = ET.Element(name)
    if namespace:
        element.set("xmlns", namespace)
    _fill(element, data, schema)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _fill(element: ET.Element, data: Any, schema: Schema) -> None:
    if isinstance(data, Mapping):
        properties = schema.get("properties", {})
        for key, value in data.items():
            if value is None:
                continue
            prop = effective(properties.get(key, {}))
            info = prop.get("xml", {})
            name = info.get("name", key)
            if info.get("attribute"):
                element.set(name, _text(value))
            elif isinstance(value, list):
                items = effective(prop.get("items", {}))
                item_name = items.get("xml", {}).get("name", name)
                parent = ET.SubElement(element, name) if info.get("wrapped") else element
                for item in value:
                    _fill(ET.SubElement(parent, item_name), item, items)
            else:
                _fill(ET.SubElement(element, name), value, prop)
    elif data is not None:
        element.text = _text(data)


# Characters XML 1.0 cannot carry, even escaped: control characters and lone surrogates. A
# client's NUL echoed in an error detail must not make the whole answer malformed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def loads(raw: bytes | str, schema: Schema | None = None) -> Any:
    """The content of the root element as data (the root itself is the schema's ``xml.name``)."""
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XMLError(f"XML with DTDs or entities is refused: {type(exc).__name__}") from exc
    except ET.ParseError as exc:
        raise XMLError(f"Malformed XML: {exc}") from exc
    return _read(root, schema or {})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read(element: ET.Element, schema: Schema) -> Any:
    schema = effective(schema)
    children = list(element)
    text = (element.text or "").strip()
    # An element with text only is a scalar, whatever the schema expects: `<site>null</site>`
    # where an object belongs reads as "null", for the validator to refuse.
    if schema.get("type") not in (None, "object") or (not children and not element.attrib and (
        text or "properties" not in schema
    )):
        return _coerce(text, schema)
    properties = schema.get("properties", {})
    by_xml_name = {p.get("xml", {}).get("name", key): (key, effective(p)) for key, p in properties.items()}
    data: dict[str, Any] = {}
    for name, value in element.attrib.items():
        key, prop = by_xml_name.get(_local(name), (_local(name), {}))
        data[key] = _coerce(value, prop)
    arrays = _array_items(properties)
    repeated: set[str] = set()
    for child in children:
        name = _local(child.tag)
        if name in arrays:
            key, items, wrapped = arrays[name]
            if wrapped:
                data[key] = [_read(item, items) for item in child]
            else:
                data.setdefault(key, []).append(_read(child, items))
            continue
        key, prop = by_xml_name.get(name, (name, {}))
        value = _read(child, prop)
        if key in repeated:
            data[key].append(value)
        elif key in data:
            # A repeated element where the schema expects one: keep them all, so it fails validation
            # as a list instead of the last one silently winning.
            data[key] = [data[key], value]
            repeated.add(key)
        else:
            data[key] = value
    return data


def _array_items(properties: Mapping[str, Any]) -> dict[str, tuple[str, Schema, bool]]:
    """Element name -> (property, items schema, wrapped) for every array property."""
    arrays: dict[str, tuple[str, Schema, bool]] = {}
    for key, prop in properties.items():
        prop = effective(prop)
        if prop.get("type") != "array":
            continue
        info = prop.get("xml", {})
        items = effective(prop.get("items", {}))
        if info.get("wrapped"):
            arrays[info.get("name", key)] = (key, items, True)
        else:
            arrays[items.get("xml", {}).get("name", info.get("name", key))] = (key, items, False)
    return arrays


def _coerce(value: str, schema: Schema) -> Any:
    kind = schema.get("type")
    try:
        if kind == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if kind == "integer":
            return int(value)
        if kind == "number":
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
    except ValueError:
        pass
    return value
