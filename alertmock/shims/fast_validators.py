"""The engine's validators (alertmock/validation.py) without Connexion's per-request validator builds.

Connexion builds a jsonschema validator (after a deep copy of the schema) for every parameter and
body of every request, and parses a request's query twice. These twins keep one validator per
schema (`compiled`), ask jsonschema_rs first and take only its "valid" (`accepts`), and share the
parsed query with the handler's request (`SharedParsingRequest`). Every refusal still comes from
the reference validator's own code, so errors are the same; `tests/test_differential.py` holds the
served app to the one built with the reference validators.
"""

from __future__ import annotations

import typing as t

from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.validators import JSONResponseBodyValidator, TextResponseBodyValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.types import Scope

from alertmock.shims.parsed_request import SharedParsingRequest
from alertmock.shims.schema_fast_path import accepts, compiled
from alertmock.validation import (
    FORMAT_CHECKER,
    NDJSONResponseBodyValidator,
    StructuredJSONBodyValidator,
    StructuredParameterValidator,
    XMLRequestBodyValidator,
    XMLResponseBodyValidator,
    validator_map,
)

__all__ = ["fast_validator_map"]


class FastParameterValidator(StructuredParameterValidator):
    def validate(self, scope: Scope) -> None:
        # The handler's request reuses the query parsed here (alertmock/shims/parsed_request.py).
        self.validate_request(SharedParsingRequest(scope, uri_parser=self.uri_parser))

    @staticmethod
    def schema_error(schema: dict[str, t.Any], value: t.Any) -> str | None:
        if accepts(schema, Draft4Validator, value, FORMAT_CHECKER):
            return None
        try:
            compiled(schema, formats=FORMAT_CHECKER).validate(value)
        except ValidationError as exception:
            return str(exception)
        return None


class _FastBody:
    """Asks jsonschema_rs first; a body it does not call valid goes to the reference `_validate`."""

    _schema: t.Any

    @property
    def _validator(self) -> t.Any:
        return compiled(self._schema, Draft4RequestValidator)

    def _validate(self, body: t.Any) -> dict | None:
        if body is not None and accepts(self._schema, Draft4RequestValidator, body):
            return None
        return super()._validate(body)  # type: ignore[misc, no-any-return]


class FastJSONBodyValidator(_FastBody, StructuredJSONBodyValidator):
    pass


class FastXMLRequestBodyValidator(_FastBody, XMLRequestBodyValidator):
    pass


class _CompiledResponseValidator:
    _schema: t.Any

    @property
    def validator(self) -> t.Any:
        return compiled(self._schema, Draft4ResponseValidator)


class FastXMLResponseBodyValidator(_CompiledResponseValidator, XMLResponseBodyValidator):
    pass


class FastNDJSONResponseBodyValidator(_CompiledResponseValidator, NDJSONResponseBodyValidator):
    pass


class CompiledJSONResponseBodyValidator(_CompiledResponseValidator, JSONResponseBodyValidator):
    pass


class CompiledTextResponseBodyValidator(_CompiledResponseValidator, TextResponseBodyValidator):
    pass


_FAST_TWINS: dict[type, type] = {
    StructuredJSONBodyValidator: FastJSONBodyValidator,
    XMLRequestBodyValidator: FastXMLRequestBodyValidator,
    XMLResponseBodyValidator: FastXMLResponseBodyValidator,
    NDJSONResponseBodyValidator: FastNDJSONResponseBodyValidator,
    JSONResponseBodyValidator: CompiledJSONResponseBodyValidator,
    TextResponseBodyValidator: CompiledTextResponseBodyValidator,
}


def fast_validator_map() -> dict[str, t.Any]:
    """`validator_map()` with every validator replaced by its fast twin."""
    reference = validator_map()
    for kind in ("body", "response"):
        for media_type, cls in list(reference[kind].items()):
            reference[kind][media_type] = _FAST_TWINS.get(cls, cls)
    return {**reference, "parameter": FastParameterValidator}
