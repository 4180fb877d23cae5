"""Connexion's check of a contract against the OpenAPI 3.0 schema, with a fast way through when it passes.

Connexion validates every specification it loads against its OpenAPI 3.0 JSON schema with
jsonschema, and checks that each ``default`` is valid against the schema it sits in: about 0.35 s
of alertmock's start, most of it. Compiled by jsonschema_rs, the same OpenAPI schema answers
"valid?" in milliseconds.

As for request bodies (alertmock/validation.py), only a "yes" is taken from the fast check; a "no"
runs Connexion's own validation, whose error (or verdict) stands. The fast check is sound because
it is never more lenient: Connexion's validator checks no formats, so neither does jsonschema_rs;
the OpenAPI schema's few patterns (``^x-``, ``^/``, status codes) mean the same to both regex
engines; and ``default`` is checked on *every* object that has one, a superset of the schema
objects Connexion checks, with Connexion's own instance validator.
"""

from __future__ import annotations

import functools
import typing as t

import jsonschema_rs
from connexion.json_schema import Draft4Validator, NullableTypeValidator
from connexion.spec import OpenAPISpecification
from jsonschema.validators import extend

__all__ = ["CheckedSpecification", "passes_fast_check"]


class CheckedSpecification(OpenAPISpecification):
    """An OpenAPI 3 specification whose validation takes the fast way when the document is valid."""

    @classmethod
    def from_document(cls, document: dict[str, t.Any]) -> CheckedSpecification:
        # As `Specification.from_dict` (YAML may have integer keys, such as status codes; JSON has not).
        return cls(_string_keys(document))

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


def _string_keys(node: t.Any) -> t.Any:
    if isinstance(node, dict):
        return {str(key): _string_keys(value) for key, value in node.items()}
    return node
