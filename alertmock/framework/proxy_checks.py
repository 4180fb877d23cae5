"""Judging one exchange against the contract with the engine's own machinery, without answering it.

`ContractChecks` routes a request as the mock does (Connexion's routing, through the engine's
route index) and, for the operation it lands on, runs:

- the request: Connexion's security layer with `presence` handlers (are the documented
  credentials there?), then the engine's request validation (parameters, media type, body schema,
  XML read through the contract's ``xml`` objects), each catching instead of answering;
- the response: the status documented for the operation, the media type documented for that
  status, its required headers, and the body parsed by the engine's response validator for that
  media type (JSON, NDJSON, or XML with a strict root element and namespace) and checked against
  the schema, every error reported rather than the first.

Nothing here decides what to send back; `alertmock.proxy.middleware` does.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody, ProblemException
from connexion.json_schema import Draft4ResponseValidator
from connexion.middleware.abstract import ROUTING_CONTEXT, RoutedAPI, RoutedMiddleware
from connexion.middleware.security import SecurityOperation
from connexion.operations import AbstractOperation
from connexion.resolver import Resolver
from connexion.security import SecurityHandlerFactory
from connexion.utils import extract_content_type, split_content_type
from jsonschema import ValidationError
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope, Send

from alertmock.contract.document import Contract, Operation
from alertmock.errors import ApiError, RequestValidationError
from alertmock.framework.engines import Engine
from alertmock.framework.presence import PRESENCE_SECURITY_MAP
from alertmock.framework.validators import NDJSONResponseBodyValidator
from alertmock.proxy.findings import Finding, schema_finding, shorten

__all__ = ["ContractChecks", "OperationChecks"]

# One exchange reports at most this many schema errors per body: enough to see the pattern.
MAX_BODY_FINDINGS = 10
Headers = list[tuple[bytes, bytes]]
_LOCATED = "alertmock.proxy.operation"


async def _accepted(scope: Scope, receive: Receive, send: Send) -> None:
    """The end of a check: reaching it means the layers before it found nothing."""


async def _no_send(message: Message) -> None:
    pass


def _replay(body: bytes) -> Receive:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _never_called(*args: t.Any, **kwargs: t.Any) -> None:
    raise AssertionError("the proxy forwards every operation; no handler runs")


class OperationChecks:
    """The request and response checks of one operation."""

    def __init__(
        self, operation: AbstractOperation, documented: Operation, validators: dict[str, t.Any], engine: Engine
    ) -> None:
        self.operation_id: str = operation.operation_id
        self.documented = documented
        self._security = SecurityOperation.from_operation(
            operation,
            next_app=_accepted,
            security_handler_factory=SecurityHandlerFactory(PRESENCE_SECURITY_MAP),
        )
        self._compiled = engine.compiled
        self._validation = engine.request_validation_operation(
            _accepted, operation=operation, strict_validation=False, validator_map=validators
        )
        self._response_validators: MediaTypeDict = validators["response"]

    async def request(self, scope: Scope, body: bytes) -> list[Finding]:
        findings: list[Finding] = []
        try:
            await self._security(dict(scope), _replay(body), _no_send)
        except ProblemException as problem:
            findings.append(Finding("request.security", "", shorten(problem.detail or problem.title or "")))
        try:
            await self._validation(dict(scope), _replay(body), _no_send)
        except RequestValidationError as error:
            findings.append(_request_finding(error))
        except ApiError as error:  # a body that does not parse, too deep, ...
            findings.append(Finding("request.body", "", shorten(error.message)))
        except ProblemException as problem:
            kind = "request.content-type" if problem.status == 415 else "request.body"
            findings.append(Finding(kind, "", shorten(problem.detail or problem.title or "")))
        return findings

    def response(self, method: str, status: int, headers: Headers, body: bytes | None) -> list[Finding]:
        """`body` None: not checked (streamed past the proxy's buffer, or a HEAD)."""
        documented = self.documented.response(status)
        if documented is None:
            listed = ", ".join(self.documented.responses) or "none"
            return [Finding("response.status", str(status), f"not documented for the operation (only {listed})")]
        findings = [
            Finding("response.headers", name, "required header missing")
            for name, header in documented.headers.items()
            if header.get("required") and not any(n.lower() == name.lower().encode("latin-1") for n, _ in headers)
        ]
        if not documented.content or method == "HEAD":
            return findings
        mime_type, encoding = split_content_type(extract_content_type(headers))
        if mime_type is None:
            message = "missing; documented: " + ", ".join(documented.content)
            return [*findings, Finding("response.content-type", "", message)]
        media = MediaTypeDict({k.lower(): v for k, v in documented.content.items()})
        if mime_type.lower() not in media:
            message = f"{mime_type} not documented for {status} (documented: {', '.join(documented.content)})"
            return [*findings, Finding("response.content-type", "", message)]
        schema = media[mime_type.lower()].get("schema")
        if body is None or not schema:
            return findings
        return [*findings, *self._body_findings(mime_type.lower(), encoding or "utf-8", schema, body)]

    def _body_findings(self, mime_type: str, encoding: str, schema: dict[str, t.Any], body: bytes) -> list[Finding]:
        try:
            validator_cls = self._response_validators[mime_type]
        except KeyError:
            return []  # a media type the engine has no reader for (binary, say): documented is all we know
        reader = validator_cls({}, schema=schema, nullable=bool(schema.get("nullable")), encoding=encoding)
        try:
            parsed = reader._parse(iter([body]))
        except (NonConformingResponseBody, ValueError) as exc:
            detail = exc.detail if isinstance(exc, NonConformingResponseBody) else str(exc)
            return [Finding("response.body", "", shorten(detail))]
        if parsed is None and schema.get("nullable"):
            return []
        validator = self._compiled(schema, Draft4ResponseValidator)
        if issubclass(validator_cls, NDJSONResponseBodyValidator):
            # The schema describes one line; a finding points at its line.
            errors = [(f"/{n}", e) for n, line in enumerate(parsed or []) for e in validator.iter_errors(line)]
        else:
            errors = [("", e) for e in validator.iter_errors(parsed)]
        findings = []
        for prefix, error in errors[:MAX_BODY_FINDINGS]:
            finding = schema_finding("response.body", error)
            findings.append(Finding(finding.kind, prefix + finding.where, finding.message) if prefix else finding)
        return findings


def _request_finding(error: RequestValidationError) -> Finding:
    cause = error.__cause__
    if error.location == "body" and isinstance(cause, ValidationError):
        return schema_finding("request.body", cause)
    name, messages = next(iter(error.fields.items()), ("", [error.message]))
    where = "" if error.location == "body" and name == "body" else name
    return Finding(f"request.{error.location}", where, shorten(messages[0] if messages else error.message))


class _ChecksAPI(RoutedAPI[OperationChecks]):
    def __init__(self, *args: t.Any, contract: Contract, engine: Engine, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.engine = engine
        # The mock's own validators, as `create_app` gives them to Connexion.
        self.validators = engine.validator_map()
        self.add_paths()

    def make_operation(self, operation: AbstractOperation) -> OperationChecks:
        documented = self.contract.operations[operation.operation_id]
        return OperationChecks(operation, documented, self.validators, self.engine)


class _Locate(RoutedMiddleware[_ChecksAPI]):
    """Where routing ends: the operation's checks and the routed scope (with its path parameters)
    are left in the scope's extensions; nothing there means the contract has no such operation."""

    api_cls = _ChecksAPI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
        operation_id = routing.get("operation_id")
        for api in self.apis.get(routing.get("api_base_path"), ()):
            if operation_id in api.operations:
                scope["extensions"][_LOCATED] = Located(api.operations[operation_id], scope)
                return


@dataclass(frozen=True, slots=True)
class Located:
    checks: OperationChecks
    scope: Scope  # the request as routed: path parameters resolved, as the validators read them

    async def request(self, body: bytes) -> list[Finding]:
        return await self.checks.request(self.scope, body)


class ContractChecks:
    """Finds an exchange's operation and judges both halves of it."""

    def __init__(self, contract: Contract, engine: Engine) -> None:
        self._locate = _Locate(_accepted)
        self._router = engine.routing_middleware(self._locate)
        specification = engine.specification(contract.resolved)
        # Connexion resolves every operationId to a function; here none is ever called.
        resolver = Resolver(function_resolver=lambda _: _never_called)
        self._router.add_api(specification, base_path=contract.base_path, resolver=resolver)
        self._locate.add_api(
            specification, base_path=contract.base_path, resolver=resolver, contract=contract, engine=engine
        )

    async def locate(self, scope: Scope) -> Located | None:
        """The operation `scope` routes to, or None when the contract has none."""
        probe = {**scope, "extensions": {}}
        try:
            await self._router(probe, _replay(b""), _no_send)
        except HTTPException:  # Starlette's 405: a path the contract has, with another method
            return None
        found: Located | None = probe["extensions"].get(_LOCATED)
        return found
