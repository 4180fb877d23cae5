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
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from alertmock.schemas import effective

Schema = Mapping[str, Any]
# Per property: (is_attribute, xml name, resolved schema, resolved items schema, items' element name, wrapped)
Entry = tuple[bool, str, Schema, Schema, str, bool]

__all__ = ["XMLError", "dumps", "loads"]


class XMLError(ValueError):
    """The body is not well-formed XML, or uses DTDs or entities (refused)."""


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


# --- writing ----------------------------------------------------------------------------------
# One plan per schema (per property: attribute or element, XML name, resolved schema, items' element
# name), then the answer is written straight into a list of strings with ElementTree's own escaping:
# the same bytes as building an ElementTree, at a fraction of the cost (a 20-alert Tableau list).

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What makes a value need work: markup, characters ElementTree writes as references, or _NOT_XML.
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
_CDATA_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_EMPTY: Schema = {}
_plans: dict[int, tuple[Schema, dict[str, Entry]]] = {}


def dumps(data: Any, schema: Schema, root: str | None = None) -> bytes:
    info = schema.get("xml", {})
    name = root or info.get("name", "root")
    namespace = info.get("namespace")
    out: list[str] = [_DECLARATION]
    _element(out, name, data, schema, {"xmlns": _attribute_text(namespace)} if namespace else None)
    return "".join(out).encode("utf-8")


def _plan(schema: Schema) -> dict[str, Entry]:
    entry = _plans.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    plan = {key: _entry(key, prop) for key, prop in schema.get("properties", {}).items()}
    # The schema is kept with its plan so that its id is never reused while the plan is cached.
    _plans[id(schema)] = (schema, plan)
    return plan


def _entry(key: str, raw: Schema) -> Entry:
    prop = effective(raw)
    info = prop.get("xml", {})
    name = info.get("name", key)
    items = effective(prop.get("items", {}))
    item_name = items.get("xml", {}).get("name", name)
    return bool(info.get("attribute")), name, prop, items, item_name, bool(info.get("wrapped"))


def _element(out: list[str], name: str, data: Any, schema: Schema, attributes: dict[str, str] | None = None) -> None:
    # The hot loop of every XML answer. Two passes over an object: its attributes first (they go
    # in the start tag), then its children written straight into `out`, in the data's order.
    if not isinstance(data, Mapping):
        text = "" if data is None else _cdata_text(data)
        start = _start_tag(name, attributes)
        out.append(f"{start}>{text}</{name}>" if text else start + " />")
        return
    plan = _plan(schema)
    attributes = dict(attributes) if attributes else None
    has_children = False
    for key, value in data.items():
        if value is None:
            continue
        entry = plan.get(key)
        if entry is None:
            entry = _entry(key, _EMPTY)
        if entry[0]:
            value = value if type(value) is str else _plain(value)
            if _ATTRIBUTE_SPECIAL.search(value) is not None:
                value = _escape_attrib(_NOT_XML.sub("\ufffd", value))
            if attributes is None:
                attributes = {}
            # Setting an attribute twice keeps its first place and its last value, as in ElementTree.
            attributes[entry[1]] = value
        elif not has_children and (value or entry[5] or not isinstance(value, list)):
            has_children = True
    start = _start_tag(name, attributes)
    if not has_children:
        out.append(start + " />")
        return
    out.append(start + ">")
    for key, value in data.items():
        if value is None:
            continue
        entry = plan.get(key)
        if entry is None:
            entry = _entry(key, _EMPTY)
        if entry[0]:
            continue
        if isinstance(value, list):
            _, child_name, _, items, item_name, wrapped = entry
            if wrapped:
                if value:
                    out.append(f"<{child_name}>")
                    for item in value:
                        _element(out, item_name, item, items)
                    out.append(f"</{child_name}>")
                else:
                    out.append(f"<{child_name} />")
            else:
                for item in value:
                    _element(out, item_name, item, items)
        else:
            _element(out, entry[1], value, entry[2])
    out.append(f"</{name}>")


def _start_tag(name: str, attributes: dict[str, str] | None) -> str:
    # Values in `attributes` are already escaped.
    if not attributes:
        return "<" + name
    return "<" + name + "".join([f' {key}="{value}"' for key, value in attributes.items()])


def _plain(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if type(value) is str else str(value)


def _attribute_text(value: Any) -> str:
    text = _plain(value)
    # Most values need no escaping at all: one regex scan decides.
    if _ATTRIBUTE_SPECIAL.search(text) is None:
        return text
    return _escape_attrib(_NOT_XML.sub("\ufffd", text))


def _cdata_text(value: Any) -> str:
    text = _plain(value)
    if _CDATA_SPECIAL.search(text) is None:
        return text
    return _escape_cdata(_NOT_XML.sub("\ufffd", text))
