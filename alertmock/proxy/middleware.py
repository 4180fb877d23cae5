"""The proxy's ASGI layer: every request that is not for the control API goes to the real service.

It sits inside the engine's layers (CORS, sessions, faults, the journal), so those work in front of
the real service as they do in front of the mock, and in place of the mock's operations. Per
exchange: the request is located in the contract and checked, forwarded as it came, and the answer
is checked and passed back unchanged, with one ``Alertmock-Violation`` header per finding and their
count in ``Alertmock-Violations``. With ``fail_on_violation`` a violating exchange is answered 502
instead, with a problem+json body naming the findings.

The answer is held (up to `MAX_CHECKED_BYTES`) until its body is checked, since the headers that
report a finding go out before the body; a longer body streams through with only its status,
media type and headers checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.app.context import Runtime, current_session
from alertmock.contract.redaction import credential_values, redact_query, scrub
from alertmock.framework import ContractChecks, Engine, Located, set_routed_operation_id
from alertmock.layers.engine import VIOLATIONS_EXTENSION, is_control
from alertmock.proxy.findings import Finding
from alertmock.proxy.forwarding import Forwarder, UpstreamError, Upstreams, decoded, passed_back, read_raw
from alertmock.proxy.ledger import ViolationLog
from alertmock.state.journal import header_object

__all__ = ["MAX_CHECKED_BYTES", "ProxyMiddleware", "ProxySettings"]

# Answers up to this size are checked whole; larger ones stream through unchecked past the headers.
MAX_CHECKED_BYTES = 8 * 1024 * 1024
# A response with more findings than this names the first ones; the count header has them all.
MAX_VIOLATION_HEADERS = 20
VIOLATIONS_HEADER = b"alertmock-violations"
VIOLATION_HEADER = b"alertmock-violation"


@dataclass(frozen=True)
class ProxySettings:
    upstreams: Upstreams
    fail_on_violation: bool = False
    max_checked_bytes: int = MAX_CHECKED_BYTES
    # `--record DIR`: answers that carry resources become fixtures there (alertmock/proxy/recording.py).
    record: Path | None = None


class ProxyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        runtime: Runtime,
        settings: ProxySettings,
        log: ViolationLog,
        forwarder: Forwarder,
        engine: Engine,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.settings = settings
        self.log = log
        self.forwarder = forwarder
        self.checks = ContractChecks(runtime.contract, engine)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        body = await _read_all(receive)
        method = scope["method"]
        located = await self.checks.locate(scope)
        if located is None:
            operation_id = None
            findings = [Finding("undocumented", "", f"{method} {scope['path']} is not in the contract")]
        else:
            operation_id = located.checks.operation_id
            # Where the mock's own routing would have put it: the journal and the error renderer read it.
            set_routed_operation_id(scope, operation_id)
            findings = await located.request(body)
        vendor = self.runtime.contract.vendor_for(scope["path"], operation_id)
        base = self.settings.upstreams.for_vendor(vendor.name if vendor else None)
        try:
            if base is None:
                raise UpstreamError(f"no upstream for {vendor.name if vendor else 'this path'}")
            await self._exchange(scope, send, base, body, located, findings)
        except UpstreamError as error:
            self._record(scope, located, None, findings, body)
            await _problem(
                send,
                504 if error.timeout else 502,
                "urn:alertmock:upstream-unreachable",
                "The upstream did not answer",
                str(error),
            )

    async def _exchange(
        self, scope: Scope, send: Send, base: str, body: bytes, located: Located | None, findings: list[Finding]
    ) -> None:
        """Forwards, checks, records and answers; `findings` gains the response's."""
        method = scope["method"]
        raw_path = scope.get("raw_path") or scope["path"].encode()
        response = await self.forwarder.open(
            base, method, raw_path, scope.get("query_string", b""), list(scope["headers"]), body
        )
        try:
            chunks = read_raw(response)
            held: list[bytes] = []
            size, complete = 0, True
            async for chunk in chunks:
                held.append(chunk)
                size += len(chunk)
                if size > self.settings.max_checked_bytes:
                    complete = False
                    break
            raw_headers = list(response.headers.raw)
            checked: bytes | None = None
            if located is not None:
                checked = decoded(b"".join(held), response.headers.get("content-encoding")) if complete else None
                findings.extend(located.checks.response(method, response.status_code, raw_headers, checked))
            # Recorded before answering: the journal entry of the exchange is written as it ends.
            answered = (raw_headers, checked if checked is not None else held)
            self._record(scope, located, response.status_code, findings, body, answered)
            if self.runtime.recorder is not None and located is not None and checked is not None:
                self.runtime.recorder.observe(
                    method=method,
                    path=scope["path"],
                    operation_id=located.checks.operation_id,
                    params=located.scope.get("path_params", {}),
                    status=response.status_code,
                    headers=header_object(raw_headers),
                    body=checked,
                    violations=[f.header() for f in findings],
                )
            if findings and self.settings.fail_on_violation:
                await _refuse(send, scope, located, response.status_code, findings)
                return
            headers = passed_back(raw_headers)
            headers.extend(_violation_headers(findings))
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
            for chunk in held:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if not complete:
                try:
                    async for chunk in chunks:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                except UpstreamError:
                    # Too late for a 502: end unfinished, and the server drops the connection, as the
                    # upstream did.
                    return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()

    def _record(
        self,
        scope: Scope,
        located: Located | None,
        status: int | None,
        findings: list[Finding],
        body: bytes,
        answered: tuple[list[tuple[bytes, bytes]], bytes | list[bytes]] = ([], b""),
    ) -> None:
        """Logs the exchange's findings, with any credential they quote (a schema error repeats the
        value it judged) replaced in `findings` by its fingerprint: they go on to the ledger, the
        journal, the response's headers and the reports."""
        if findings:
            findings[:] = _without_credentials(findings, self.runtime, scope, located, body, answered)
        exchange = self.log.record(
            time=self.runtime.clock.now(),
            session=current_session(),
            method=scope["method"],
            path=scope["path"],
            query=redact_query(scope.get("query_string", b"").decode("latin-1"), self.runtime.secrets),
            operation_id=located.checks.operation_id if located is not None else None,
            status=status,
            findings=findings,
        )
        # For the journal's entry of this exchange.
        scope.setdefault("extensions", {})[VIOLATIONS_EXTENSION] = [f.as_json() for f in exchange.findings]


def _without_credentials(
    findings: list[Finding],
    runtime: Runtime,
    scope: Scope,
    located: Located | None,
    body: bytes,
    answered: tuple[list[tuple[bytes, bytes]], bytes | list[bytes]],
) -> list[Finding]:
    response_headers, held = answered
    response_body = held if isinstance(held, bytes) else b"".join(held)
    exchange = {
        "operation_id": located.checks.operation_id if located is not None else None,
        "headers": header_object(scope["headers"]),
        "query": scope.get("query_string", b"").decode("latin-1"),
        "body": body.decode("utf-8", "replace"),
        "response": {"headers": header_object(response_headers), "body": response_body.decode("utf-8", "replace")},
    }
    values = credential_values(exchange, runtime.secrets)
    if not values:
        return findings
    return [Finding(f.kind, scrub(f.where, values), scrub(f.message, values)) for f in findings]


async def _refuse(send: Send, scope: Scope, located: Located | None, status: int, findings: list[Finding]) -> None:
    where = f"{scope['method']} {scope['path']}"
    if located is not None:
        where += f" ({located.checks.operation_id})"
    await _problem(
        send,
        502,
        "urn:alertmock:contract-violation",
        "The exchange broke the contract",
        f"{where}: {len(findings)} violation(s); the upstream answered {status}",
        upstream_status=status,
        violations=[f.as_json() for f in findings],
        findings=findings,
    )


async def _problem(
    send: Send, status: int, type_: str, title: str, detail: str, *, findings: Sequence[Finding] = (), **extra: object
) -> None:
    body = orjson.dumps({"type": type_, "title": title, "status": status, "detail": detail, **extra})
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    headers.extend(_violation_headers(findings))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _violation_headers(findings: Sequence[Finding]) -> list[tuple[bytes, bytes]]:
    if not findings:
        return []
    count = (VIOLATIONS_HEADER, str(len(findings)).encode())
    return [count, *((VIOLATION_HEADER, f.header().encode("latin-1")) for f in findings[:MAX_VIOLATION_HEADERS])]


async def _read_all(receive: Receive) -> bytes:
    # The engine's layer has already read the body (and refused one over the limit); this replays it.
    chunks: list[bytes] = []
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
