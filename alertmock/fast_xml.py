"""`dumps` of `alertmock.xml`, byte for byte, without building an ElementTree.

`alertmock.xml.dumps` resolves each property's schema (`_effective`, allOf merging) for every
node of every answer, builds an `ElementTree`, then serialises it through ElementTree's
pure-Python writer (one `write` call per tag, attribute and text): 60% of a 20-item Tableau list.

Here each schema gets a plan once (per property: attribute or element, its XML name, its
resolved schema, its items' element name), and the answer is written straight to a list of
strings, escaped with ElementTree's own escaping functions so the bytes are the same as
`alertmock.xml.dumps` produces (tests/test_fast_paths.py checks it on every XML example of the
contract). Reading XML (`alertmock.xml.loads`, defusedxml) is unchanged.

One difference, a fix: characters XML 1.0 cannot carry at all (controls other than tab, newline
and carriage return, U+FFFE/U+FFFF, lone surrogates) become U+FFFD. ElementTree writes them raw,
which makes the document malformed for every client (a path parameter ``%00`` echoed in an error,
a JSON-created subject with ``\u0001`` read back as XML).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from alertmock.schemas import effective as _effective
from alertmock.xml import _text

__all__ = ["dumps"]

Schema = Mapping[str, Any]
# Per property: (is_attribute, xml name, resolved schema, resolved items schema, items' element name, wrapped)
Entry = tuple[bool, str, Schema, Schema, str, bool]

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
    prop = _effective(raw)
    info = prop.get("xml", {})
    name = info.get("name", key)
    items = _effective(prop.get("items", {}))
    item_name = items.get("xml", {}).get("name", name)
    return bool(info.get("attribute")), name, prop, items, item_name, bool(info.get("wrapped"))


def _element(out: list[str], name: str, data: Any, schema: Schema, attributes: dict[str, str] | None = None) -> None:
    attributes = dict(attributes) if attributes else {}
    children: list[str] = []
    text = ""
    if isinstance(data, Mapping):
        plan = _plan(schema)
        for key, value in data.items():
            if value is None:
                continue
            entry = plan.get(key)
            if entry is None:
                entry = _entry(key, _EMPTY)
            is_attribute, child_name, prop, items, item_name, wrapped = entry
            if is_attribute:
                # Setting an attribute twice keeps its first place and its last value, as in ElementTree.
                attributes[child_name] = _attribute_text(value)
            elif isinstance(value, list):
                if wrapped:
                    inner: list[str] = []
                    for item in value:
                        _element(inner, item_name, item, items)
                    _close(children, child_name, {}, "", inner)
                else:
                    for item in value:
                        _element(children, item_name, item, items)
            else:
                _element(children, child_name, value, prop)
    elif data is not None:
        text = _cdata_text(data)
    _close(out, name, attributes, text, children)


def _plain(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if type(value) is str else _text(value)


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


def _close(out: list[str], name: str, attributes: dict[str, str], text: str, children: list[str]) -> None:
    # Values in `attributes` and `text` are already escaped.
    start = (
        "<" + name + "".join([f' {key}="{value}"' for key, value in attributes.items()]) if attributes else "<" + name
    )
    if text or children:
        out.append(start + ">" + text)
        out.extend(children)
        out.append(f"</{name}>")
    else:
        out.append(start + " />")
