"""Validators compiled once per schema instead of once per request.

Connexion 3.3 deep-copies each parameter's schema and builds a new ``Draft4Validator`` for every
parameter of every request (`ParameterValidator.validate_parameter`), and builds a new body
validator on every access of `JSONRequestBodyValidator._validator` and of the response
validators' `validator`. Building one costs more than validating a small value with it.

The subclasses here keep the engine's validators (`alertmock.validation`) and Connexion's error
messages unchanged; only the construction is cached, keyed by the schema object. The schemas are
the loaded contract's own dicts, alive as long as the app, and the cache holds a reference to
each so that an id is never reused for another schema.
"""

from __future__ import annotations

import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, format_error_with_path
from connexion.utils import is_null, is_nullable
from connexion.validators import JSONResponseBodyValidator, TextResponseBodyValidator
from jsonschema import Draft4Validator, ValidationError

from alertmock.validation import (
    StructuredJSONBodyValidator,
    StructuredParameterValidator,
    XMLRequestBodyValidator,
    XMLResponseBodyValidator,
    _body_error,
)

__all__ = ["compiled", "compiled_validator_map"]

_FORMATS = Draft4Validator.FORMAT_CHECKER
_cache: dict[tuple[int, type], tuple[t.Any, t.Any]] = {}


def compiled(schema: t.Mapping[str, t.Any], cls: type = Draft4Validator) -> t.Any:
    """The validator of class `cls` for `schema`, built on first use."""
    key = (id(schema), cls)
    entry = _cache.get(key)
    if entry is None or entry[0] is not schema:
        entry = (schema, cls(schema, format_checker=_FORMATS))
        _cache[key] = entry
    return entry[1]


class CompiledParameterValidator(StructuredParameterValidator):
    @staticmethod
    def validate_parameter(
        parameter_type: str, value: t.Any, param: dict[str, t.Any], param_name: str | None = None
    ) -> str | None:
        # Connexion's logic and messages, without the per-call deepcopy and validator build.
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            try:
                compiled(param.get("schema", param)).validate(value)
            except ValidationError as exception:
                return str(exception)
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None


class CompiledJSONBodyValidator(StructuredJSONBodyValidator):
    @property
    def _validator(self) -> t.Any:
        return compiled(self._schema, Draft4RequestValidator)


class CompiledXMLRequestBodyValidator(XMLRequestBodyValidator):
    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        if body is None:
            return super()._validate(body)
        try:
            compiled(self._schema, Draft4RequestValidator).validate(body)
        except ValidationError as exception:
            raise _body_error(exception) from exception
        return None


class CompiledJSONResponseBodyValidator(JSONResponseBodyValidator):
    @property
    def validator(self) -> t.Any:
        return compiled(self._schema, Draft4ResponseValidator)


class CompiledTextResponseBodyValidator(TextResponseBodyValidator):
    @property
    def validator(self) -> t.Any:
        return compiled(self._schema, Draft4ResponseValidator)


class CompiledXMLResponseBodyValidator(XMLResponseBodyValidator):
    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        try:
            compiled(self._schema, Draft4ResponseValidator).validate(body)
        except ValidationError as exception:
            raise NonConformingResponseBody(
                detail=f"Response body does not conform to specification. {exception.message}"
                f"{format_error_with_path(exception=exception)}"
            ) from exception
        return None


_REPLACEMENTS: dict[type, type] = {
    StructuredParameterValidator: CompiledParameterValidator,
    StructuredJSONBodyValidator: CompiledJSONBodyValidator,
    XMLRequestBodyValidator: CompiledXMLRequestBodyValidator,
    JSONResponseBodyValidator: CompiledJSONResponseBodyValidator,
    TextResponseBodyValidator: CompiledTextResponseBodyValidator,
    XMLResponseBodyValidator: CompiledXMLResponseBodyValidator,
}


def compiled_validator_map(validator_map: t.Mapping[str, t.Any] | None) -> dict[str, t.Any]:
    """`validator_map` (Connexion's default when None) with each known validator swapped for its
    compiled-once subclass; validators this module does not know are kept as they are."""
    from connexion.validators import VALIDATOR_MAP

    source = validator_map or VALIDATOR_MAP
    result: dict[str, t.Any] = {}
    for key, value in source.items():
        if isinstance(value, t.Mapping):
            result[key] = MediaTypeDict({media: _REPLACEMENTS.get(cls, cls) for media, cls in value.items()})
        else:
            result[key] = _REPLACEMENTS.get(value, value)
    return result
