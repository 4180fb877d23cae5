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
from collections.abc import Callable, Mapping
from typing import Any
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from alertmock.bounded_cache import IdentityCache
from alertmock.contract.schemas import effective
from alertmock.frozen import Frozen

Schema = Mapping[str, Any]
# Per property: (is_attribute, xml name, resolved schema, resolved items schema, items' element name, wrapped)
Entry = tuple[bool, str, Schema, Schema, str, bool]

__all__ = ["XMLError", "dumps", "loads"]

_EMPTY: Schema = {}
# Schemas come from the contract, so the caches stay small; the bound is for callers passing new ones.
# Each entry keeps its schema alive, so its id is never reused while cached (alertmock/bounded_cache.py).
_MAX_CACHED = 4096


class XMLError(ValueError):
    """The body is not well-formed XML, or uses DTDs or entities (refused)."""


def loads(raw: bytes | str, schema: Schema | None = None, *, strict_root: bool = False) -> Any:
    """The content of the root element as data (the root itself is the schema's ``xml.name``).

    With `strict_root` (answers are judged, requests read tolerantly), a root element other than
    the schema's ``xml.name`` in its ``xml.namespace`` is an `XMLError`: a Tableau client looks
    for ``tsResponse`` in ``http://tableau.com/api`` and finds nothing in any other.
    """
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XMLError(f"XML with DTDs or entities is refused: {type(exc).__name__}") from exc
    except ET.ParseError as exc:
        raise XMLError(f"Malformed XML: {exc}") from _without_tracebacks(exc)
    if strict_root:
        _check_root(root.tag, effective(schema or {}).get("xml", {}))
    return _read(root, schema or {})


def _without_tracebacks(exc: BaseException) -> BaseException:
    """`exc`, and the errors it was raised in handling, without their tracebacks.

    ElementTree raises a parse error from a frame that holds it (and expat's error from another):
    each error and its traceback are a reference cycle, kept with the frames' contents until a
    collection, for every malformed body. The message says where the XML broke; the frames are
    not needed.
    """
    error: BaseException | None = exc
    while error is not None:
        error.__traceback__ = None
        error = error.__context__
    return exc


def _check_root(tag: str, info: Mapping[str, Any]) -> None:
    name, namespace = info.get("name"), info.get("namespace")
    found_namespace = tag[1:].split("}", 1)[0] if tag[:1] == "{" else None
    if (name and _local(tag) != name) or (namespace and found_namespace != namespace):
        expected = f"{{{namespace}}}{name or _local(tag)}" if namespace else name
        raise XMLError(f"root element {_shown(tag)}, expected {_shown(expected)}")


def _shown(tag: str) -> str:
    if tag[:1] != "{":
        return f"<{tag}>"
    namespace, local = tag[1:].split("}", 1)
    return f'<{local} xmlns="{namespace}">'


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


# Per schema, what reading needs: the schema resolved, xml name -> (property, resolved schema), and
# the array properties by element name. The schema is kept with its plan so its id is never reused.
ReadPlan = tuple[Schema, dict[str, tuple[str, Schema]], dict[str, tuple[str, Schema, bool]]]
_read_plans: IdentityCache[ReadPlan] = IdentityCache(_MAX_CACHED)


def _read_plan(schema: Schema) -> ReadPlan:
    cached = _read_plans.get(schema)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    resolved = effective(schema)
    properties = resolved.get("properties", {})
    by_xml_name = {p.get("xml", {}).get("name", key): (key, effective(p)) for key, p in properties.items()}
    plan = (resolved, by_xml_name, _array_items(properties))
    return _read_plans.put(schema, plan)


def _read(element: ET.Element, schema: Schema) -> Any:
    schema, by_xml_name, arrays = _read_plan(schema)
    children = list(element)
    text = (element.text or "").strip()
    # An element with text only is a scalar, whatever the schema expects: `<site>null</site>`
    # where an object belongs reads as "null", for the validator to refuse.
    if schema.get("type") not in (None, "object") or (
        not children and not element.attrib and (text or "properties" not in schema)
    ):
        return _coerce(text, schema)
    data: dict[str, Any] = {}
    for name, value in element.attrib.items():
        key, prop = by_xml_name.get(_local(name), (_local(name), _EMPTY))
        data[key] = _coerce(value, prop)
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
        key, prop = by_xml_name.get(name, (name, _EMPTY))
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
# An answer is first written by writers compiled once per schema: closures that know, for each
# property, whether it is an attribute or an element, its XML name and its child writer, and write
# straight into a list of strings without escaping anything. Each attribute value and text they write
# also goes to `values`, and one scan of them all decides: almost always nothing needs escaping and
# the answer is done. Otherwise the generic writer below (a plan lookup per property, ElementTree's
# escaping value by value) writes it again. Both write the bytes an ElementTree would, far faster.
# An object writer also generates Python code per order of its data's keys (`_shaped`): the start tag
# in one f-string, no lookup per key, child objects shaped as before written by their generated code,
# or in place when they carry attributes only (`_inline_leaf`).

Writer = Callable[[list[str], list[str], Any], None]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What makes a value need work: markup, characters ElementTree writes as references, or _NOT_XML.
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
_CDATA_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Every ASCII character _ATTRIBUTE_SPECIAL does not match: deleting them leaves what needs work.
_ASCII_PLAIN = bytes(c for c in range(128) if _ATTRIBUTE_SPECIAL.match(chr(c)) is None)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_plans: IdentityCache[dict[str, Entry]] = IdentityCache(_MAX_CACHED)
_writers: IdentityCache[Writer] = IdentityCache(_MAX_CACHED)


def dumps(data: Any, schema: Schema, root: str | None = None) -> bytes:
    info = schema.get("xml", {})
    name = root or info.get("name", "root")
    namespace = info.get("namespace")
    xmlns = _attribute_text(namespace) if namespace else None
    out = [_DECLARATION]
    values: list[str] = []
    _writer(schema, name, xmlns, False)(out, values, data)
    if _needs_escaping(values):
        out = [_DECLARATION]
        _element(out, name, data, schema, {"xmlns": xmlns} if xmlns is not None else None)
    return "".join(out).encode("utf-8")


def _needs_escaping(values: list[str]) -> bool:
    text = "".join(values)
    if text.isascii():
        # One C loop over the bytes: several times faster than a regex search over the same text.
        return bool(text.encode("ascii").translate(None, _ASCII_PLAIN))
    return _ATTRIBUTE_SPECIAL.search(text) is not None


def _writer(schema: Schema, name: str, xmlns: str | None, is_property: bool) -> Writer:
    """The compiled writer of element `name` for `schema`, built on first use.

    A property's writer also writes a list (the property's items); an array item's or the root's
    writes one element whatever the data.
    """
    cached = _writers.get(schema, name, xmlns, is_property)
    if cached is not None:
        return cached  # type: ignore[no-any-return]

    # A schema that contains itself meets its own writer while compiling it: it gets this stand-in,
    # which holds the real writer itself (the cache may be cleared by the time it runs).
    compiled: list[Writer] = []

    def recursive(out: list[str], values: list[str], data: Any) -> None:
        compiled[0](out, values, data)

    _writers.put(schema, recursive, name, xmlns, is_property)
    writer = _compile(schema, name, xmlns, is_property)
    compiled.append(writer)
    return _writers.put(schema, writer, name, xmlns, is_property)


def _compile(schema: Schema, name: str, xmlns: str | None, is_property: bool) -> Writer:
    plan = _plan(schema)
    attributes = [entry[1] for entry in plan.values() if entry[0]] + (["xmlns"] if xmlns is not None else [])
    if len(set(attributes)) < len(attributes):
        # An attribute set twice keeps its first place and its last value: the generic writer's job.
        return _generic_writer(schema, name, xmlns, is_property)
    prefixes = {key: f' {entry[1]}="' for key, entry in plan.items() if entry[0]}
    children = {key: _writer(entry[2], entry[1], None, True) for key, entry in plan.items() if not entry[0]}
    other = _other_writer(schema, name, xmlns, is_property)
    head = f'<{name} xmlns="{xmlns}"' if xmlns is not None else "<" + name
    end = f"</{name}>"

    def looped(out: list[str], values: list[str], data: Any) -> None:
        # One pass in the data's order: the start tag waits in its slot until every attribute is
        # known, the children are written after it.
        slot = len(out)
        out.append(head)
        tag = head
        for key, value in data.items():
            prefix = prefixes.get(key)
            if prefix is not None:
                if type(value) is not str:
                    if value is None:
                        continue
                    value = _plain(value)
                values.append(value)
                tag = f'{tag}{prefix}{value}"'
            elif value is not None:
                child = children.get(key)
                if child is not None:
                    child(out, values, value)
                else:
                    _child(out, _entry(key, _EMPTY), value)
        if len(out) == slot + 1:
            out[slot] = tag + " />"
        else:
            out[slot] = tag + ">"
            out.append(end)

    # Handlers build their objects the same way every time, so an object's keys come in a few
    # orders: each order gets a writer generated for it (`_shaped`), past a few the loop above.
    shapes: dict[tuple[str, ...], Writer] = {}

    def shaped_for(data: dict[str, Any]) -> Writer | None:
        keys = tuple(data)
        shaped = shapes.get(keys)
        if shaped is None and len(shapes) < _SHAPES_PER_WRITER:
            shaped = shapes[keys] = _shaped(data, head, end, prefixes, children, looped)
        return shaped

    def write_dict(out: list[str], values: list[str], data: Any) -> None:
        (shapes.get(tuple(data)) or shaped_for(data) or looped)(out, values, data)

    def write(out: list[str], values: list[str], data: Any) -> None:
        cls = type(data)
        if cls is dict:
            (shapes.get(tuple(data)) or shaped_for(data) or looped)(out, values, data)
        elif cls is Frozen:
            _remembered(write_dict, write, out, values, data)
        else:
            other(out, values, data)

    write.shaped_for = shaped_for  # type: ignore[attr-defined]
    write.start = (head, prefixes)  # type: ignore[attr-defined]
    return write


# Key orders an object writer generates code for; objects in other orders take its loop.
_SHAPES_PER_WRITER = 8


def _remembered(write_dict: Writer, writer: Writer, out: list[str], values: list[str], data: Frozen) -> None:
    """`data`'s element as `writer` wrote it before: a `Frozen` never changes, nor does what one
    writer makes of it, so its text is kept on it (a handler that keeps a record's wire form between
    requests gets its XML written once). Text that needs escaping is not kept: its values go to
    `values`, and the generic writer writes the whole answer again."""
    written = data.written
    if written is not None:
        text = written.get(writer)
        if text is not None:
            out.append(text)
            return
    part: list[str] = []
    part_values: list[str] = []
    write_dict(part, part_values, data)
    text = "".join(part)
    if _needs_escaping(part_values):
        values += part_values
    else:
        if written is None:
            written = data.written = {}
        written[writer] = text
    out.append(text)


def _shaped(
    sample: dict[str, Any],
    head: str,
    end: str,
    prefixes: dict[str, str],
    children: dict[str, Writer],
    looped: Writer,
) -> Writer:
    """The object writer for data whose keys are those of `sample`, in its order, as Python code.

    It writes what `looped` writes, minus the per-key lookups: the start tag in one f-string,
    each child's writer called by name, and a child object shaped as in `sample` written by its
    own generated writer directly. An attribute that is None (left out) sends the object to
    `looped`.
    """
    keys = tuple(sample)
    names: dict[str, Any] = {"_plain": _plain, "_child": _child, "looped": looped}
    lines = [f"    {''.join(f'v{i}, ' for i in range(len(keys)))}= data.values()"] if keys else []
    template = _literal(head)
    attributes: list[str] = []
    body: list[str] = []
    for i, key in enumerate(keys):
        prefix = prefixes.get(key)
        if prefix is not None:
            lines.append(f"    if v{i}.__class__ is not str:")
            lines.append(f"        if v{i} is None:")
            lines.append("            return looped(out, values, data)")
            lines.append(f"        v{i} = _plain(v{i})")
            attributes.append(f"v{i}")
            template += _literal(prefix) + f"{{v{i}}}" + '"'
        else:
            child = children.get(key)
            names[f"c{i}"] = child if child is not None else _unknown_child_writer(key)
            body.append(f"    if v{i} is not None:")
            value = sample[key]
            # Writers other than an object's (the generic one, a recursive stand-in) have no shapes.
            shaped_for = getattr(child, "shaped_for", None)
            shaped = shaped_for(value) if shaped_for is not None and type(value) is dict else None
            if shaped is not None:
                names[f"s{i}"], names[f"k{i}"] = shaped, tuple(value)
                body.append(f"        if v{i}.__class__ is dict and tuple(v{i}) == k{i}:")
                body += _inline_leaf(f"v{i}", value, child.start, f"            s{i}(out, values, v{i})")  # type: ignore[union-attr]
                body.append("        else:")
                body.append(f"            c{i}(out, values, v{i})")
            else:
                body.append(f"        c{i}(out, values, v{i})")
    if attributes:
        lines.append(f"    values += ({', '.join(attributes)},)")
    if not body:
        lines.append(f"    out.append(f{template + ' />'!r})")
    else:
        names["end"] = end
        lines += ["    slot = len(out)", "    out.append(None)", *body]
        lines.append("    if len(out) == slot + 1:")
        lines.append(f"        out[slot] = f{template + ' />'!r}")
        lines.append("    else:")
        lines.append(f"        out[slot] = f{template + '>'!r}")
        lines.append("        out.append(end)")
    source = "def write(out, values, data):\n" + "\n".join(lines) + "\n"
    # The source is ours: names and constants come from the contract as escaped literals.
    exec(compile(source, "<alertmock.contract.xml writer>", "exec"), names)
    return names["write"]  # type: ignore[no-any-return]


def _inline_leaf(name: str, sample: dict[str, Any], start: tuple[str, dict[str, str]], call: str) -> list[str]:
    """Code writing the child object `name` in place when, like `sample`, it has attributes only,
    all strings (an element in one f-string); else `call`, its generated writer. `name` holds a
    dict with `sample`'s keys in its order."""
    head, prefixes = start
    if not sample or any(key not in prefixes or type(value) is not str for key, value in sample.items()):
        return [call]
    parts = [f"{name}_{j}" for j in range(len(sample))]
    pairs = zip(sample, parts, strict=True)
    tag = _literal(head) + "".join(_literal(prefixes[key]) + f"{{{part}}}" + '"' for key, part in pairs)
    return [
        f"            {''.join(part + ', ' for part in parts)}= {name}.values()",
        f"            if {' and '.join(part + '.__class__ is str' for part in parts)}:",
        f"                values += ({', '.join(parts)},)",
        f"                out.append(f{tag + ' />'!r})",
        "            else:",
        "    " + call,
    ]


def _literal(text: str) -> str:
    """`text` as the constant part of an f-string."""
    return text.replace("{", "{{").replace("}", "}}")


def _unknown_child_writer(key: str) -> Writer:
    entry = _entry(key, _EMPTY)

    def write(out: list[str], values: list[str], data: Any) -> None:
        _child(out, entry, data)

    return write


def _other_writer(schema: Schema, name: str, xmlns: str | None, is_property: bool) -> Writer:
    """What the writer of `name` writes for data other than a dict."""
    # Only an array property gets a compiled item writer; a list where the schema has none is the
    # generic writer's (same bytes), so properties do not each compile a writer for `{}` items.
    resolved = effective(schema)
    is_array = resolved.get("type") == "array" or "items" in resolved
    array = _array_writer(_entry(name, schema)) if is_property and is_array else None
    generic = _generic_writer(schema, name, xmlns, is_property)
    head = f'<{name} xmlns="{xmlns}"' if xmlns is not None else "<" + name

    def write(out: list[str], values: list[str], data: Any) -> None:
        if array is not None and isinstance(data, list):
            array(out, values, data)
        elif data is None or isinstance(data, Mapping | list):
            generic(out, values, data)
        else:
            text = data if type(data) is str else _plain(data)
            values.append(text)
            out.append(f"{head}>{text}</{name}>" if text else head + " />")

    return write


def _array_writer(entry: Entry) -> Writer:
    _, name, _, items, item_name, wrapped = entry
    item = _writer(items, item_name, None, False)
    start, end, empty = f"<{name}>", f"</{name}>", f"<{name} />"

    def items(out: list[str], values: list[str], data: list[Any]) -> None:
        for value in data:
            # A frozen item written before is its text (`_remembered`), without a call.
            if value.__class__ is Frozen:
                written = value.written
                if written is not None:
                    text = written.get(item)
                    if text is not None:
                        out.append(text)
                        continue
            item(out, values, value)

    def write(out: list[str], values: list[str], data: list[Any]) -> None:
        if not wrapped:
            items(out, values, data)
        elif data:
            out.append(start)
            items(out, values, data)
            out.append(end)
        else:
            out.append(empty)

    return write


def _generic_writer(schema: Schema, name: str, xmlns: str | None, is_property: bool) -> Writer:
    entry = _entry(name, schema) if is_property else None
    attributes = {"xmlns": xmlns} if xmlns is not None else None

    def write(out: list[str], values: list[str], data: Any) -> None:
        # The generic writer escapes what it writes: nothing it writes goes to `values`.
        if entry is not None:
            _child(out, entry, data)
        else:
            _element(out, name, data, schema, attributes)

    return write


# The generic writer: slower, but it escapes value by value.


def _plan(schema: Schema) -> dict[str, Entry]:
    return _plans.lookup(schema, lambda: {key: _entry(key, prop) for key, prop in schema.get("properties", {}).items()})


def _entry(key: str, raw: Schema) -> Entry:
    prop = effective(raw)
    info = prop.get("xml", {})
    name = info.get("name", key)
    items = effective(prop.get("items", {}))
    item_name = items.get("xml", {}).get("name", name)
    return bool(info.get("attribute")), name, prop, items, item_name, bool(info.get("wrapped"))


def _element(out: list[str], name: str, data: Any, schema: Schema, attributes: dict[str, str] | None = None) -> None:
    # Two passes over an object: its attributes first (they go in the start tag), then its children
    # written straight into `out`, in the data's order.
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
            if attributes is None:
                attributes = {}
            # Setting an attribute twice keeps its first place and its last value, as in ElementTree.
            attributes[entry[1]] = _attribute_text(value)
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
        if not entry[0]:
            _child(out, entry, value)
    out.append(f"</{name}>")


def _child(out: list[str], entry: Entry, value: Any) -> None:
    """A property's element, or its items' elements for a list (inside a wrapper when wrapped)."""
    if not isinstance(value, list):
        _element(out, entry[1], value, entry[2])
        return
    _, name, _, items, item_name, wrapped = entry
    if not wrapped:
        for item in value:
            _element(out, item_name, item, items)
    elif value:
        out.append(f"<{name}>")
        for item in value:
            _element(out, item_name, item, items)
        out.append(f"</{name}>")
    else:
        out.append(f"<{name} />")


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
