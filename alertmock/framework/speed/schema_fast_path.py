"""Validation without Connexion's per-request validator builds, and a jsonschema_rs fast path.

Connexion deep-copies a schema and builds a jsonschema validator for every parameter and body of
every request; `compiled` keeps one per schema instead. `accepts` answers "surely valid?" with
jsonschema_rs, and only its "yes" is used: a "no" runs jsonschema, whose errors are answered.
"""

from __future__ import annotations

import functools
import typing as t

import jsonschema_rs
from connexion.json_schema import Draft4RequestValidator
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from alertmock.bounded_cache import IdentityCache

# Connexion builds a new validator (after a deepcopy of the schema) for every parameter and body
# of every request; building one costs more than validating a small value with it. Keyed by the
# contract's own schema dicts (a few hundred), bounded for callers that pass new ones.
CACHE_LIMIT = 4096
_compiled: IdentityCache[t.Any] = IdentityCache(CACHE_LIMIT)


def compiled(schema: t.Mapping[str, t.Any], cls: type = Draft4Validator, formats: FormatChecker | None = None) -> t.Any:
    """The validator of class `cls` for `schema`, built on first use."""
    checker = formats or Draft4Validator.FORMAT_CHECKER
    validator = _compiled.get(schema, cls, checker)
    if validator is None:
        validator = _compiled.put(schema, cls(schema, format_checker=checker), cls, checker)
    return validator


# A fast path in front of jsonschema for valid values, the common case: jsonschema_rs answers
# "valid?" in well under a microsecond where jsonschema takes tens. Only a "yes" is taken from it;
# a "no" runs jsonschema, whose errors (and verdict) are the ones answered. That is sound only if
# jsonschema_rs never accepts what jsonschema refuses, for any subschema: under `oneOf` and `not`
# being stricter is unsound too, so it must agree exactly. It is therefore given only the keywords
# whose semantics agree for every JSON value (types, structure, lengths, enums of strings, booleans
# and null); the others (patterns: Python's `re` is not ECMA's; formats: its own checkers differ;
# number bounds: it compares a float with a 64-bit integer limit differently) are answered by
# jsonschema itself, through one custom keyword, on the few values they apply to. A schema using a
# keyword outside both lists, or a validator class this does not know, gets no fast path.
_NATIVE = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    }
)
# Leaf keywords left to jsonschema, with the sibling keywords their checks read.
_DELEGATED = {
    "enum": ("nullable", "x-nullable"),
    "format": (),
    "pattern": (),
    "minimum": ("exclusiveMinimum",),
    "maximum": ("exclusiveMaximum",),
    "multipleOf": (),
    "uniqueItems": (),
}
_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_PYTHON_KEYWORD = "x-alertmock-jsonschema"
_UNKNOWN: t.Any = object()


class _Unsupported(Exception):
    """The schema uses something the fast path cannot answer exactly like jsonschema."""


def _translate(
    node: t.Any, cls: type, formats: FormatChecker, delegated: list[t.Any], stack: tuple[int, ...] = ()
) -> dict[str, t.Any]:
    """`node` as jsonschema_rs is to see it; the keywords it cannot be trusted with go to `delegated`."""
    if not isinstance(node, dict) or id(node) in stack:
        raise _Unsupported
    stack = (*stack, id(node))
    nullable = cls is Draft4RequestValidator and (node.get("x-nullable") is True or bool(node.get("nullable")))
    out: dict[str, t.Any] = {}
    python: dict[str, t.Any] = {}
    for key, value in node.items():
        if key not in cls.VALIDATORS:
            continue  # ignored by jsonschema (descriptions, xml, x-*): jsonschema_rs must not read it either
        if key == "type":
            types = [value] if isinstance(value, str) else value
            if not isinstance(types, list) or not all(isinstance(v, str) and v in _TYPES for v in types):
                raise _Unsupported
            # Connexion's nullable lets null through `type` (and `enum`) of the same schema object.
            out[key] = [*types, "null"] if nullable and "null" not in types else value
        elif key == "enum" and isinstance(value, list) and all(v is None or isinstance(v, str | bool) for v in value):
            out[key] = [*value, None] if nullable and None not in value else value
        elif key in _DELEGATED:
            if key == "format" and value not in formats.checkers:
                continue  # jsonschema does not check a format its checker does not know
            python[key] = value
            python.update((sibling, node[sibling]) for sibling in _DELEGATED[key] if sibling in node)
        elif key not in _NATIVE:
            raise _Unsupported
        elif key == "properties":
            if not isinstance(value, dict):
                raise _Unsupported
            out[key] = {name: _translate(sub, cls, formats, delegated, stack) for name, sub in value.items()}
        elif key in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list):
                raise _Unsupported
            out[key] = [_translate(sub, cls, formats, delegated, stack) for sub in value]
        elif key in ("items", "not") or (key == "additionalProperties" and not isinstance(value, bool)):
            out[key] = _translate(value, cls, formats, delegated, stack)
        else:
            out[key] = value
    if python:
        out[_PYTHON_KEYWORD] = len(delegated)
        if python.keys() == {"format"}:
            # jsonschema's format keyword is this one call (ids, dates): no validator around it.
            delegated.append(functools.partial(formats.conforms, format=python["format"]))
        else:
            delegated.append(cls(python, format_checker=formats).is_valid)
    return out


def _fast_path(schema: t.Mapping[str, t.Any], cls: type, formats: FormatChecker) -> t.Callable[[t.Any], bool] | None:
    if cls not in (Draft4Validator, Draft4RequestValidator):
        return None
    delegated: list[t.Callable[[t.Any], bool]] = []

    class JSONSchemaKeyword:
        def __init__(self, parent: t.Any, index: int, path: t.Any) -> None:
            self.is_valid = delegated[index]

        def validate(self, instance: t.Any) -> None:
            if not self.is_valid(instance):
                raise ValueError("refused by jsonschema")

    try:
        cls.check_schema(schema)
        translated = _translate(schema, cls, formats, delegated)
        validator = jsonschema_rs.Draft4Validator(
            translated, validate_formats=False, keywords={_PYTHON_KEYWORD: JSONSchemaKeyword}
        )
    except (_Unsupported, SchemaError, ValueError, TypeError, RecursionError):
        return None
    return validator.is_valid  # type: ignore[no-any-return]


_fast: IdentityCache[t.Callable[[t.Any], bool] | None] = IdentityCache(CACHE_LIMIT)


def accepts(schema: t.Mapping[str, t.Any], cls: type, instance: t.Any, formats: FormatChecker | None = None) -> bool:
    """True when `instance` is surely valid against `schema` (False: ask `compiled(...)`)."""
    checker = formats or Draft4Validator.FORMAT_CHECKER
    is_valid = _fast.get(schema, cls, checker, default=_UNKNOWN)
    if is_valid is _UNKNOWN:
        is_valid = _fast.put(schema, _fast_path(schema, cls, checker), cls, checker)
    if is_valid is None:
        return False
    try:
        return is_valid(instance)
    except Exception:  # a value it cannot convert, say: the reference validator answers instead
        return False
