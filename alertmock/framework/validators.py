"""Request validators for Connexion that raise the engine's structured `RequestValidationError`.

Connexion's own validators raise a `BadRequestProblem` with one formatted string; vendors need
the field (Scalingo answers ``{"errors": {"limit": ["..."]}}``, Tableau maps ``pageSize`` to its
own error code), so these subclasses keep the name and the location. The XML validator parses
with defusedxml (no DTDs, no entities), validates the data against the media type's schema and
hands it on as JSON, so a handler receives the same ``body`` whatever the wire format.

These are the reference behaviour, built the way Connexion builds its own (a validator per
request): `create_app(engine="stock")` serves with them as they are. The served app uses their
faster twins in `alertmock/framework/speed/fast_validators.py`, held to the same answers by
`tests/framework/test_differential.py`.
"""

from __future__ import annotations

import json
import typing as t
import uuid

import orjson
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, format_error_with_path
from connexion.lifecycle import ConnexionRequest
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    AbstractRequestBodyValidator,
    AbstractResponseBodyValidator,
    JSONRequestBodyValidator,
)
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator, FormatChecker, ValidationError
from starlette.types import Receive, Scope

from alertmock.contract import xml
from alertmock.errors import BadRequestError, RequestValidationError

_LOCATIONS = ("query", "path", "header", "cookie")

# Draft 4's format checker plus the OpenAPI formats the contract relies on for parameters
# (Connexion checks none of them: a job id "x" or a page of 2**31 would pass).
FORMAT_CHECKER = FormatChecker(Draft4Validator.FORMAT_CHECKER.checkers)
FORMAT_CHECKER.checks("uuid")(lambda value: not isinstance(value, str) or _is_uuid(value))
FORMAT_CHECKER.checks("int32")(lambda value: not isinstance(value, int) or -(2**31) <= value < 2**31)
FORMAT_CHECKER.checks("int64")(lambda value: not isinstance(value, int) or -(2**63) <= value < 2**63)


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


class StructuredParameterValidator(ParameterValidator):
    @classmethod
    def validate_parameter(  # type: ignore[override]
        cls, parameter_type: str, value: t.Any, param: dict[str, t.Any], param_name: str | None = None
    ) -> str | None:
        # Connexion's own logic and messages, with the OpenAPI formats checked.
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            return cls.schema_error(param.get("schema", param), value)
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None

    @staticmethod
    def schema_error(schema: dict[str, t.Any], value: t.Any) -> str | None:
        """Why `value` does not conform to the parameter's `schema` (None if it does)."""
        error = first_error(Draft4Validator(schema, format_checker=FORMAT_CHECKER), value)
        return None if error is None else str(error)

    def validate_request(self, request: ConnexionRequest) -> None:
        readers = {
            "query": self.validate_query_parameter,
            "path": self.validate_path_parameter,
            "header": self.validate_header_parameter,
            "cookie": self.validate_cookie_parameter,
        }
        for location in _LOCATIONS:
            for param in self.parameters.get(location, []):
                error = readers[location](param, request)
                if error:
                    message = error.splitlines()[0]
                    raise RequestValidationError(
                        f"{location} parameter '{param['name']}': {message}",
                        location=location,
                        fields={param["name"]: [message]},
                    )


def _fields_of(exception: ValidationError) -> dict[str, list[str]]:
    path = ".".join(str(p) for p in exception.absolute_path)
    if exception.validator == "required":
        missing = exception.message.split("'")[1] if "'" in exception.message else ""
        return {".".join(filter(None, [path, missing])): ["is required"]}
    return {path or "body": [exception.message]}


def first_error(validator: t.Any, instance: t.Any) -> ValidationError | None:
    """The error `validator.validate(instance)` raises (None: valid), without raising it.

    jsonschema raises it from a frame that holds it: the error, its traceback and that frame are a
    reference cycle, and with them all an invalid request left behind until a collection. An error
    never raised has no traceback: it may still be the cause of the one raised instead.
    """
    return next(validator.iter_errors(instance), None)


def _body_error(exception: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        f"{exception.message}{format_error_with_path(exception=exception)}",
        location="body",
        fields=_fields_of(exception),
    )


class StructuredJSONBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        return self._parse_raw(b"".join([chunk async for chunk in stream]))

    @property
    def _utf8(self) -> bool:
        # "utf-8" is Connexion's default when the Content-Type names no charset: the usual case.
        encoding = self._encoding
        return encoding == "utf-8" or encoding.lower().replace("-", "") == "utf8"

    def _parse_raw(self, raw: bytes) -> t.Any:
        if not raw:
            return None
        # orjson is strict where the stdlib is lenient: NaN/Infinity, lone surrogates and invalid
        # UTF-8 are refused here, instead of being stored and failing later as a 500.
        encoding = self._encoding
        try:
            body = orjson.loads(raw if self._utf8 else raw.decode(encoding))
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadRequestError(f"Request body is not valid {encoding}: {exc}") from exc
        except orjson.JSONDecodeError as exc:
            raise BadRequestError(f"Malformed JSON request body: {exc}") from exc
        openers = raw.count(b"{") + raw.count(b"[")
        if openers > MAX_NESTING:  # else the body cannot nest deeper (no walk, no call)
            _refuse_deep_nesting(body, openers)
        return body

    def _validate(self, body: t.Any) -> dict | None:
        if not self._nullable and body is None:
            raise RequestValidationError(
                "Request body must not be empty", location="body", fields={"body": ["is required"]}
            )
        error = first_error(self._validator, body)
        if error is not None:
            raise _body_error(error) from error  # its cause: what the proxy reports
        return None


_REPLACED_HEADERS = (b"content-length", b"content-type")


# How deep a request body may nest. The services' own bodies nest a few levels; a few hundred
# levels would pass parsing and fail later, in the handler or when the answer is written (orjson
# stops at 255), as a 500. Refused up front with the vendor's 400, like a malformed body.
MAX_NESTING = 64
_TOO_DEEP: t.Any = object()


def _refuse_deep_nesting(body: t.Any, openers: int) -> None:
    """400 if `body` nests deeper than MAX_NESTING; `openers` (how many `{`, `[` or `<` the raw body
    holds) bounds the depth, so most bodies are passed without a walk."""
    if openers <= MAX_NESTING and body is not _TOO_DEEP:
        return
    stack = [(body, 0)]
    while stack:
        node, depth = stack.pop()
        if node is _TOO_DEEP or depth > MAX_NESTING:
            raise BadRequestError(f"Request body nests deeper than {MAX_NESTING} levels")
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


class XMLRequestBodyValidator(AbstractRequestBodyValidator):
    MUTABLE_VALIDATION = True

    @property
    def _validator(self) -> t.Any:
        return Draft4RequestValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        raw = b"".join([chunk async for chunk in stream])
        if not raw.strip():
            return None
        try:
            body = xml.loads(raw, self._schema)
        except xml.XMLError as exc:
            raise BadRequestError(str(exc)) from exc
        except RecursionError:
            body = _TOO_DEEP
        _refuse_deep_nesting(body, raw.count(b"<"))
        return body

    def _validate(self, body: t.Any) -> dict | None:
        if body is None:
            if self._required:
                raise RequestValidationError(
                    "Request body must not be empty", location="body", fields={"body": ["is required"]}
                )
            return None
        error = first_error(self._validator, body)
        if error is not None:
            raise _body_error(error) from error  # its cause: what the proxy reports
        return None

    def _insert_body(self, receive: Receive, *, body: t.Any, scope: Scope) -> tuple[Receive, Scope]:
        # Downstream the body travels as JSON, so handlers get a dict whatever the wire format.
        # Connexion's version writes it with the stdlib and deep-copies the header list twice over;
        # the header tuples are immutable, so a new list is enough.
        if body is None:
            return receive, scope
        try:
            raw = orjson.dumps(body)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, which the stdlib writes
            raw = json.dumps(body).encode()
        new_scope = scope.copy()
        new_scope["headers"] = [
            *((name, value) for name, value in scope["headers"] if name not in _REPLACED_HEADERS),
            (b"content-length", str(len(raw)).encode()),
            (b"content-type", b"application/json"),
        ]
        message = {"type": "http.request", "body": raw, "more_body": False}
        return self._insert_messages(receive, messages=[message]), new_scope


class XMLResponseBodyValidator(AbstractResponseBodyValidator):
    """Validates XML answers too (Connexion checks JSON and text only); used by --validate-responses."""

    @property
    def validator(self) -> t.Any:
        return Draft4ResponseValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    def _parse(self, stream: t.Generator[bytes, None, None]) -> t.Any:
        raw = b"".join(stream)
        if not raw:
            return None
        try:
            return xml.loads(raw, self._schema, strict_root=True)
        except xml.XMLError as exc:
            raise NonConformingResponseBody(f"Response body is not the contract's XML: {exc}") from exc

    def _validate(self, body: t.Any) -> dict | None:
        error = first_error(self.validator, body)
        if error is not None:
            raise NonConformingResponseBody(
                detail=f"Response body does not conform to specification. {error.message}"
                f"{format_error_with_path(exception=error)}"
            ) from error
        return None


class NDJSONResponseBodyValidator(AbstractResponseBodyValidator):
    """Validates each line of a newline-delimited JSON answer; the schema describes one line."""

    @property
    def validator(self) -> t.Any:
        return Draft4ResponseValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    def _parse(self, stream: t.Generator[bytes, None, None]) -> t.Any:
        lines = [line for line in b"".join(stream).splitlines() if line.strip()]
        try:
            return [orjson.loads(line) for line in lines]
        except orjson.JSONDecodeError as exc:
            raise NonConformingResponseBody(f"Response line is not JSON: {exc}") from exc

    def _validate(self, body: t.Any) -> dict | None:
        validator = self.validator
        for number, line in enumerate(body or []):
            error = first_error(validator, line)
            if error is not None:
                raise NonConformingResponseBody(
                    detail=f"Response line {number} does not conform to specification. {error.message}"
                ) from error
        return None


def validator_map() -> dict[str, t.Any]:
    """Connexion's validator map with the engine's validators in it (the reference behaviour)."""
    body = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    body["*/*json"] = StructuredJSONBodyValidator
    body["application/xml"] = XMLRequestBodyValidator
    body["text/xml"] = XMLRequestBodyValidator
    response = MediaTypeDict(dict(VALIDATOR_MAP["response"]))
    response["application/xml"] = XMLResponseBodyValidator
    response["text/xml"] = XMLResponseBodyValidator
    response["application/x-ndjson"] = NDJSONResponseBodyValidator
    response["application/stream+json"] = NDJSONResponseBodyValidator
    return {"parameter": StructuredParameterValidator, "body": body, "response": response}
