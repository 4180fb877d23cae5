"""The engine's validators (alertmock/framework/validators.py) without Connexion's per-request validator builds.

Connexion builds a jsonschema validator (after a deep copy of the schema) for every parameter and
body of every request, and parses a request's query twice. These twins keep one validator per
schema (`compiled`), ask jsonschema_rs first and take only its "valid" (`accepts`), and share the
parsed query with the handler's request (`SharedParsingRequest`).

An operation whose parameters are all in the query and the path is judged on two values only,
the raw query string and the router's path parameters, by a pure function of them: the parameter
validator remembers which pairs it accepted (with what they parsed to) and skips the work when
one comes again (a client paging through a list, polling a job, creating under one parent).
Refusals are not remembered: they are rare and each gets Connexion's own answer. Every refusal still comes from
the reference validator's own code, so errors are the same; `tests/framework/test_differential.py` holds the
served app to the one built with the reference validators.
"""

from __future__ import annotations

import typing as t

from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.validators import JSONResponseBodyValidator, TextResponseBodyValidator
from jsonschema import Draft4Validator
from starlette.types import Receive, Scope

from alertmock.bounded_cache import BoundedCache
from alertmock.framework.speed.parsed_request import SharedParsingRequest, reusable_parse, reuse_parse, share_json_body
from alertmock.framework.speed.schema_fast_path import accepts, compiled
from alertmock.framework.validators import (
    FORMAT_CHECKER,
    NDJSONResponseBodyValidator,
    StructuredJSONBodyValidator,
    StructuredParameterValidator,
    XMLRequestBodyValidator,
    XMLResponseBodyValidator,
    first_error,
    validator_map,
)

__all__ = ["fast_validator_map"]


# Accepted (query string, path parameters) pairs kept per operation; a client repeats a few.
ACCEPTED_PER_OPERATION = 256
_LONGEST_REMEMBERED = 1024  # bytes of query string and path parameters


class FastParameterValidator(StructuredParameterValidator):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        # Headers and cookies would be inputs too: such an operation is judged every time.
        judged_on_url = not (self.parameters.get("header") or self.parameters.get("cookie"))
        self._accepted: BoundedCache[t.Any, t.Any] | None = (
            BoundedCache(ACCEPTED_PER_OPERATION) if judged_on_url else None
        )

    def validate(self, scope: Scope) -> None:
        accepted = self._accepted
        key = None
        if accepted is not None:
            key = _url_key(scope)
            parsed = accepted.get(key) if key is not None else None
            if parsed is not None:
                reuse_parse(scope, parsed)
                return
        # The handler's request reuses the query parsed here (alertmock/framework/speed/parsed_request.py).
        self.validate_request(SharedParsingRequest(scope, uri_parser=self.uri_parser))
        if key is not None:
            parsed = reusable_parse(scope)
            if parsed is not None:
                accepted.put(key, parsed)  # type: ignore[union-attr]

    @staticmethod
    def schema_error(schema: dict[str, t.Any], value: t.Any) -> str | None:
        if accepts(schema, Draft4Validator, value, FORMAT_CHECKER):
            return None
        error = first_error(compiled(schema, formats=FORMAT_CHECKER), value)
        return None if error is None else str(error)


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
    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        """Connexion's `AbstractRequestBodyValidator.wrap_receive` (copied) for a request with a
        body, reading its messages in a loop instead of through an async generator (a tenth of a
        small JSON create went to the generator's machinery)."""
        if self.MUTABLE_VALIDATION or not _declares_a_body(scope):
            return await super().wrap_receive(receive, scope=scope)  # a default body, or none
        messages = [await receive()]
        while messages[-1].get("more_body", False):
            messages.append(await receive())
        if len(messages) == 1:  # the engine's middleware replays a body it has read as one message
            raw = messages[0].get("body", b"")
        else:
            raw = b"".join([message.get("body", b"") for message in messages])
        body = self._parse_raw(raw)
        if not (body is None and self._nullable):
            self._validate(body)
        if self._utf8:  # what the handler's arguments would parse from the same bytes
            share_json_body(scope, body)
        # Validation changed nothing (MUTABLE_VALIDATION is off): the messages as they came.
        return self._insert_messages(receive, messages=messages), scope


def _declares_a_body(scope: Scope) -> bool:
    """A content-length other than 0, where Connexion reads the body (anything else goes its way).

    The first content-length header, as Starlette's `Headers.get` (which Connexion asks) answers:
    the header list reversed into a dict keeps the first of duplicates, in C, not in a loop."""
    value = dict(reversed(scope["headers"])).get(b"content-length")
    return value is not None and value.isdigit() and int(value) > 0


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


def _url_key(scope: Scope) -> tuple[bytes, tuple[t.Any, ...]] | None:
    query = scope.get("query_string", b"")
    params = scope.get("path_params", {})
    if len(query) + sum(map(len, map(str, params.values()))) > _LONGEST_REMEMBERED:
        return None
    return query, tuple(params.items())
