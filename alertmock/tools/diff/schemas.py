"""Compare two resolved schemas from the side of the one who depends on them.

A request schema is what the server accepts: a change breaks a client when it refuses something
the old one accepted (a tighter bound, a new required property, a removed enum value). A response
schema is what the client reads: a change breaks it when something it relied on may be missing
or different (a required property gone, a new enum value, null). `allOf` is merged first, so
splitting a schema into parts is no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alertmock.tools.diff.changes import Collector
from alertmock.tools.diff.loading import Located

_BOUNDS = (
    # keyword, "max" when a smaller value is tighter, rule stem
    ("maximum", "max", "max"),
    ("minimum", "min", "min"),
    ("maxLength", "max", "max-length"),
    ("minLength", "min", "min-length"),
)
_ITEM_BOUNDS = (("maxItems", "max", "max-items-decreased"), ("minItems", "min", "min-items-increased"))


@dataclass(frozen=True)
class Place:
    """Where the schema sits: the rule prefix, the direction, the location text, the XML wire."""

    prefix: str  # request-parameter, request-property, response-property, response-header
    request: bool
    location: str
    xml: bool = False  # the media type is XML: `xml` objects are the wire names
    properties: bool = True  # descend into properties (bodies; not parameters or headers)
    subject: tuple[Any, ...] | None = None  # what traffic shows in use, when not a body's property


def compare_schema(
    base: Any, rev: Any, place: Place, out: Collector, path: tuple[str, ...] = (), name: str | None = None
) -> None:
    _compare(base, rev, place, out, path, name, set())


def merged(schema: Any) -> dict[str, Any]:
    """`schema` with its `allOf` parts folded in (properties and required united)."""
    if not isinstance(schema, dict) or "allOf" not in schema:
        return schema if isinstance(schema, dict) else {}
    out: Located | dict[str, Any] = Located(schema.file, schema.line) if isinstance(schema, Located) else {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*schema["allOf"], _without_all_of(schema)]:
        part = merged(part)
        for key, value in part.items():
            if key == "properties":
                properties.update(value)
            elif key == "required":
                required += [name for name in value if name not in required]
            else:
                out[key] = value
            # The part that said it last is where a change to it is written (a part in another
            # file leaves the change at the schema itself).
            if (
                isinstance(out, Located)
                and isinstance(part, Located)
                and part.file == out.file
                and key in part.key_lines
            ):
                out.key_lines[key] = part.key_lines[key]
    if properties:
        out["properties"] = properties
    if required:
        out["required"] = required
    return out


def _without_all_of(schema: Any) -> dict[str, Any]:
    rest: Located | dict[str, Any] = Located(schema.file, schema.line) if isinstance(schema, Located) else {}
    rest.update((key, value) for key, value in schema.items() if key != "allOf")
    if isinstance(rest, Located):
        rest.key_lines.update(schema.key_lines)
    return rest


def _compare(
    base: Any,
    rev: Any,
    place: Place,
    out: Collector,
    path: tuple[str, ...],
    name: str | None,
    seen: set[tuple[int, int]],
) -> None:
    if (id(base), id(rev)) in seen:  # a recursive schema: this pair is being compared further up
        return
    # Only the pairs on the way here: a schema shared by two properties is compared at each.
    seen = seen | {(id(base), id(rev))}
    b, r = merged(base), merged(rev)
    at = (r, None)
    location = place.location + ("" if not path else " /" + "/".join(path))
    subject = ("property", "request" if place.request else "response", path) if place.properties else place.subject

    def add(suffix: str, message: str, key: str | None = None) -> None:
        out.add(f"{place.prefix}-{suffix}", location, message, at=(r, key) if key else at, subject=subject)

    # A request schema without a type accepted anything: a type is a restriction.
    if _type(b) != _type(r) and (_type(b) is not None or place.request):
        if place.request and _generalizes(_type(b), _type(r)):
            add("type-generalized", f"type {_shown(_type(b))} became {_shown(_type(r))}", "type")
        else:
            add("type-changed", f"type {_shown(_type(b))} became {_shown(_type(r))}", "type")
            return
    _compare_enum(b, r, place, add)
    _compare_nullable(b, r, place, add)
    if place.request:
        _compare_bounds(b, r, add)
        _compare_pattern(b, r, add)
        if "default" in b and "default" in r and b["default"] != r["default"]:
            add("default-value-changed", f"default {b['default']!r} became {r['default']!r}", "default")
    if place.xml:
        _compare_xml(b, r, place, name, add)
    if not place.properties:
        return
    if isinstance(b.get("items"), dict) and isinstance(r.get("items"), dict):
        _compare(b["items"], r["items"], place, out, (*path, "[]"), name, seen)
    _compare_properties(b, r, place, out, path, seen)
    for keyword in ("anyOf", "oneOf"):
        b_parts, r_parts = b.get(keyword, []), r.get(keyword, [])
        if len(b_parts) == len(r_parts):
            # Alternatives have no order: one that is still there, wherever it moved, changed nothing;
            # the others are compared in the order they keep.
            moved = list(r_parts)
            changed = [part for part in b_parts if not _take(part, moved)]
            for b_part, r_part in zip(changed, moved, strict=True):
                _compare(b_part, r_part, place, out, path, name, seen)
        elif (len(r_parts) < len(b_parts)) == place.request and b_parts:
            add("type-changed", f"{keyword} went from {len(b_parts)} alternatives to {len(r_parts)}", keyword)


def _take(part: Any, parts: list[Any]) -> bool:
    """Remove an alternative equal to `part` from `parts`; False if there is none."""
    for index, other in enumerate(parts):
        try:
            same = other == part
        except RecursionError:  # a recursive schema ($refs replaced by their targets)
            same = other is part
        if same:
            del parts[index]
            return True
    return False


def _type(schema: dict[str, Any]) -> tuple[Any, Any] | None:
    if "type" not in schema:
        return None
    kind = schema["type"]
    return (tuple(kind) if isinstance(kind, list) else kind, schema.get("format"))


def _generalizes(old: tuple[Any, Any] | None, new: tuple[Any, Any] | None) -> bool:
    """Does every value of type `old` (with its format) belong to type `new`?"""
    if new is None:
        return True
    if old is None:
        return False
    kinds_match = old[0] == new[0] or (old[0] == "integer" and new[0] == "number")
    return kinds_match and new[1] in (None, old[1])


def _shown(kind: tuple[Any, Any] | None) -> str:
    if kind is None:
        return "any"
    return f"{kind[0]} ({kind[1]})" if kind[1] else str(kind[0])


def _compare_enum(b: dict[str, Any], r: dict[str, Any], place: Place, add: Any) -> None:
    b_values, r_values = b.get("enum"), r.get("enum")
    if b_values == r_values:
        return
    if place.request:
        # No enum accepts every value: a new enum removes all the others.
        removed = [v for v in b_values if v not in r_values] if b_values is not None and r_values is not None else None
        if r_values is not None and (removed is None or removed):
            add(
                "enum-value-removed",
                f"no longer accepted: {removed if removed else 'any value outside ' + repr(r_values)}",
                "enum",
            )
        added = [v for v in (r_values or []) if b_values is not None and v not in b_values]
        if added or (b_values is not None and r_values is None):
            add("enum-value-added", f"now accepted: {added or 'any value'}", "enum")
    else:
        added = [v for v in r_values if v not in b_values] if r_values is not None and b_values is not None else None
        if (b_values is not None and r_values is None) or added:
            add("enum-value-added", f"may now be sent: {added or 'any value'}", "enum")
        removed = [v for v in b_values if v not in r_values] if b_values is not None and r_values is not None else []
        if removed or (b_values is None and r_values is not None):
            add("enum-value-removed", f"no longer sent: {removed or 'values outside ' + repr(r_values)}", "enum")


def _compare_nullable(b: dict[str, Any], r: dict[str, Any], place: Place, add: Any) -> None:
    was, now = bool(b.get("nullable")), bool(r.get("nullable"))
    if place.request and was and not now:
        add("became-not-nullable", "null is no longer accepted", "nullable")
    if not place.request and now and not was:
        add("became-nullable", "null may now be sent", "nullable")


def _compare_bounds(b: dict[str, Any], r: dict[str, Any], add: Any) -> None:
    for keyword, sense, stem in _BOUNDS:
        old, new = b.get(keyword), r.get(keyword)
        if old == new:
            continue
        tighter = new is not None and (old is None or (new < old if sense == "max" else new > old))
        looser, wording = not tighter, "decreased" if sense == "max" else "increased"
        if looser:
            wording = "increased" if sense == "max" else "decreased"
        add(f"{stem}-{wording}", f"{keyword} {_bound(old)} became {_bound(new)}", keyword)
    for keyword, sense, rule in _ITEM_BOUNDS:
        old, new = b.get(keyword), r.get(keyword)
        if new is not None and old != new and (old is None or (new < old if sense == "max" else new > old)):
            add(rule, f"{keyword} {_bound(old)} became {new}", keyword)


def _bound(value: Any) -> str:
    return "none" if value is None else str(value)


def _compare_pattern(b: dict[str, Any], r: dict[str, Any], add: Any) -> None:
    old, new = b.get("pattern"), r.get("pattern")
    if old == new:
        return
    if old is None:
        add("pattern-added", f"values must now match {new}", "pattern")
    elif new is None:
        add("pattern-removed", f"pattern {old} removed", "pattern")
    else:
        add("pattern-changed", f"pattern {old} became {new}", "pattern")


def _compare_xml(b: dict[str, Any], r: dict[str, Any], place: Place, name: str | None, add: Any) -> None:
    bx, rx = b.get("xml") or {}, r.get("xml") or {}
    if bx.get("name", name) != rx.get("name", name):
        add("xml-name-changed", f"XML name {bx.get('name', name)!r} became {rx.get('name', name)!r}", "xml")
    if bool(bx.get("attribute")) != bool(rx.get("attribute")):
        kinds = ("an element", "an attribute")
        add(
            "xml-attribute-changed",
            f"{kinds[bool(bx.get('attribute'))]} became {kinds[bool(rx.get('attribute'))]}",
            "xml",
        )
    if bx.get("namespace") != rx.get("namespace"):
        add("xml-namespace-changed", f"XML namespace {bx.get('namespace')} became {rx.get('namespace')}", "xml")
    if bool(bx.get("wrapped")) != bool(rx.get("wrapped")):
        add("xml-wrapped-changed", f"wrapped {bool(bx.get('wrapped'))} became {bool(rx.get('wrapped'))}", "xml")


def _compare_properties(
    b: dict[str, Any], r: dict[str, Any], place: Place, out: Collector, path: tuple[str, ...], seen: set[Any]
) -> None:
    b_props, r_props = b.get("properties") or {}, r.get("properties") or {}
    b_req, r_req = set(b.get("required") or ()), set(r.get("required") or ())
    for prop in [*b_props, *(p for p in r_props if p not in b_props)]:
        sub = (*path, prop)
        location = place.location + " /" + "/".join(sub)
        subject = ("property", "request" if place.request else "response", sub)
        rev_at = (r_props.get(prop, r), None) if prop in r_props else (r, "properties")

        def add(
            rule: str, message: str, at: tuple[Any, str | None] = rev_at, _loc: str = location, _sub: Any = subject
        ) -> None:
            out.add(rule, _loc, message, at=at, fallback=(b, "properties"), subject=_sub)

        if prop not in r_props:
            if place.request:
                add("request-property-removed", f"property {prop} removed")
            elif not _one_way(b_props[prop], "writeOnly"):
                rule = "response-required-property-removed" if prop in b_req else "response-optional-property-removed"
                add(rule, f"{'required' if prop in b_req else 'optional'} property {prop} removed")
            continue
        if prop not in b_props:
            if place.request and not _one_way(r_props[prop], "readOnly"):
                rule = "new-required-request-property" if prop in r_req else "new-optional-request-property"
                add(rule, f"new {'required' if prop in r_req else 'optional'} property {prop}")
            elif not place.request:
                rule = "response-required-property-added" if prop in r_req else "response-optional-property-added"
                add(rule, f"new {'required' if prop in r_req else 'optional'} property {prop}")
            continue
        if (prop in b_req) != (prop in r_req):
            now = "required" if prop in r_req else "optional"
            side = "request" if place.request else "response"
            add(f"{side}-property-became-{now}", f"property {prop} became {now}", at=(r, "required"))
        _compare(b_props[prop], r_props[prop], place, out, sub, prop, seen)


def _one_way(schema: Any, keyword: str) -> bool:
    return bool(merged(schema).get(keyword))
