"""Connexion's specification of an already resolved contract: checked the fast way, copied once.

Connexion validates every specification it loads against its OpenAPI 3.0 JSON schema with
jsonschema, and checks that each ``default`` is valid against the schema it sits in: about 0.35 s
of alertmock's start, most of it. Compiled by jsonschema_rs, the same OpenAPI schema answers
"valid?" in milliseconds.

As for request bodies (alertmock/framework/validators.py), only a "yes" is taken from the fast check; a "no"
runs Connexion's own validation, whose error (or verdict) stands. The fast check is sound because
it is never more lenient: Connexion's validator checks no formats, so neither does jsonschema_rs;
the OpenAPI schema's few patterns (``^x-``, ``^/``, status codes) mean the same to both regex
engines; and ``default`` is checked on *every* object that has one, a superset of the schema
objects Connexion checks, with Connexion's own instance validator.

Connexion's `Specification.__init__` also deep-copies the document twice (a pristine "raw" copy,
then the one it resolves $refs in) and walks it for $refs: about a tenth of alertmock's start and
two copies of the contract held for good, for a document `alertmock.contract.document` has already
resolved. `CheckedSpecification` takes one copy of its own (shared targets stay shared, as they
are in the contract; keys made strings, as `Specification.from_dict` does), walks $refs only if
one is left, and keeps the caller's document, which nothing changes, as the raw one.
"""

from __future__ import annotations

import functools
import typing as t

import jsonschema_rs
from connexion.json_schema import Draft4Validator, NullableTypeValidator, resolve_refs
from connexion.spec import OpenAPISpecification
from jsonschema.validators import extend

__all__ = ["CheckedSpecification", "passes_fast_check"]


class CheckedSpecification(OpenAPISpecification):
    """An OpenAPI 3 specification whose validation takes the fast way when the document is valid.

    `raw_spec` is a loaded document that nothing changes afterwards (`Contract.resolved`): it is
    the raw specification, only its top level copied (the base path setter writes there)."""

    def __init__(self, raw_spec: dict[str, t.Any], *, base_uri: str = "") -> None:
        # `Specification.__init__`, with one copy. The raw document is only read (Swagger UI's
        # `clone` deep-copies it) but for the base path setter's top-level "servers": a shallow copy.
        self._raw_spec = {**raw_spec}
        spec, has_refs = _own_copy(raw_spec)
        self._set_defaults(spec)
        self._validate_spec(spec)
        self._spec = resolve_refs(spec, base_uri=base_uri) if has_refs else spec
        self._base_uri = base_uri

    @classmethod
    def _validate_spec(cls, spec: dict[str, t.Any]) -> None:
        if not passes_fast_check(spec):
            super()._validate_spec(spec)


def passes_fast_check(spec: dict[str, t.Any]) -> bool:
    """True when `spec` is surely valid for Connexion (False: Connexion's own validation decides)."""
    try:
        return _openapi_schema().is_valid(spec) and _defaults_valid(spec)
    except Exception:  # anything the fast check cannot handle is for the reference validation
        return False


@functools.cache
def _openapi_schema() -> t.Any:
    return jsonschema_rs.Draft4Validator(OpenAPISpecification.openapi_schema, validate_formats=False)


# connexion.spec.create_spec_validator: defaults are validated with Draft 4 and OpenAPI's nullable.
_InstanceValidator = extend(Draft4Validator, {"type": NullableTypeValidator})


def _defaults_valid(spec: dict[str, t.Any]) -> bool:
    validator = _InstanceValidator(spec)
    stack: list[t.Any] = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "default" in node and not validator.evolve(schema=node).is_valid(node["default"]):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


def _own_copy(document: dict[str, t.Any]) -> tuple[dict[str, t.Any], bool]:
    """A copy of `document`'s dicts and lists with string keys (YAML may have integer keys, such as
    status codes; JSON has not), a node reached twice copied once; and whether a $ref is left."""
    copies: dict[int, t.Any] = {}
    has_refs = False

    def copy(node: t.Any) -> t.Any:
        nonlocal has_refs
        if isinstance(node, dict):
            known = copies.get(id(node))
            if known is None:
                has_refs = has_refs or "$ref" in node
                known = copies[id(node)] = {str(key): copy(value) for key, value in node.items()}
            return known
        if isinstance(node, list):
            known = copies.get(id(node))
            if known is None:
                known = copies[id(node)] = [copy(value) for value in node]
            return known
        return node

    return copy(document), has_refs
