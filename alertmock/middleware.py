"""The engine's outermost ASGI layer: everything that happens around an operation, for every vendor.

Per request it: selects the session (``X-Mock-Session`` header or cookie) and binds the context;
reads the body once, refusing it with a 413 past the limit before any parsing; recognises curl's
default ``application/x-www-form-urlencoded`` label (and a browser's ``text/plain``) on a body that
is really XML or JSON (``curl -d @file`` without ``-H``: the Tableau documents' own examples do it,
and the real server accepts them); parses ``Prefer``; applies the session's injected faults and
requested delay; and records the exchange in the journal. Requests to the mock's own API and pages
(the control API, the Swagger UI, the contract it shows) are neither faulted nor journaled, and the
control API's bodies are JSON whatever their label.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.context import Runtime, bind
from alertmock.edge import drop_connection
from alertmock.error_handlers import render
from alertmock.errors import ApiError, PayloadTooLargeError
from alertmock.journal import MAX_BODY_BYTES, Entry, bounded
from alertmock.preferences import parse_preferences
from alertmock.store import DEFAULT_SESSION

SESSION_HEADER = "x-mock-session"
SESSION_COOKIE = "X-Mock-Session"
_SESSION_HEADER_RAW = SESSION_HEADER.encode("latin-1")
CONTROL_PREFIX = "/__mock"
# Connexion's Swagger UI (as `create_app` mounts it) and the contract it serves to the UI.
_SWAGGER_UI = "/ui"
_CONTRACT_DOCUMENTS = frozenset(("/openapi.json", "/openapi.yaml"))
_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# Where `alertmock proxy` leaves an exchange's contract violations for its journal entry.
VIOLATIONS_EXTENSION = "alertmock.violations"
_SNIFFED = {b"<": "application/xml", b"{": "application/json", b"[": "application/json"}
# What clients send when nobody chose a label: curl's -d default, and a browser's fetch() with a
# string body; both are sniffed to XML or JSON by the body's first byte.
_DEFAULT_LABELS = ("", "application/x-www-form-urlencoded", "text/plain")


class EngineMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        self.max_body = runtime.config.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Connexion records the matched operation in scope["extensions"], on whatever copy of the
        # scope it holds; created here, the dict is shared by every copy, so the error boundary
        # sees it and renders the matched operation's vendor (uvicorn sends no "extensions").
        scope.setdefault("extensions", {})
        if "\n" in scope["path"]:
            # Starlette mounts the API with a `.*` pattern, which stops at a newline: a path
            # parameter holding one would miss its operation and get a bare 404. Percent-encoded,
            # it reaches the operation, whose own 404 (no stored id contains "%0A") answers.
            scope = {**scope, "path": scope["path"].replace("\n", "%0A")}
        headers = Headers(scope=scope)
        seen = _scan(headers.raw)
        session = seen.session or DEFAULT_SESSION
        sessions = self.runtime.sessions
        state = await sessions.open(session)
        writes = scope["method"] not in _SAFE_METHODS
        if _is_the_mocks_own(scope["path"]):
            if seen.has_body and scope["path"].startswith(CONTROL_PREFIX):
                scope = _as_json(scope, headers)
            bind(self.runtime, scope, session, state)
            if writes:
                async with sessions.writing(session):
                    await self.app(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        body = b""
        fault = None
        journaled = False

        async def journal() -> None:
            # Before the answer's last byte leaves: a client that reads the journal next (from
            # another process, say) finds the exchange there.
            nonlocal journaled
            if not journaled:
                journaled = True
                await self._journal(scope, headers, session, body, observed, fault, started)

        observed = _Observed(send, journal)
        try:
            try:
                preferences = None
                bind(self.runtime, scope, session, state)
                preferences = parse_preferences(seen.prefer, scope.get("query_string", b""))
                if seen.has_body:
                    body = await self._read_body(headers, receive)
                    scope = _sniff_content_type(scope, headers, body)
                    receive = _replay(body, receive)
                bind(self.runtime, scope, session, state, preferences)
                verdict = self.runtime.faults.judge(session, scope["method"], scope["path"])
                delay = (preferences.delay_ms / 1000 if preferences else 0) + (verdict.delay_seconds if verdict else 0)
                if verdict is not None and verdict.delay_seconds:
                    fault = "latency"
                if delay:
                    await asyncio.sleep(delay)
                if verdict is not None and verdict.drop:
                    fault = "drop"
                    await _drop(scope, observed)
                    return
                if verdict is not None and verdict.error_status is not None:
                    fault = "error"
                    raise ApiError("Fault injected by the mock (PUT /__mock/faults)", status=verdict.error_status)
            except ApiError as error:
                await render(Request(scope), error, self.runtime)(scope, receive, observed)
                return
            if writes:
                # Another process may serve the same session: the handler's reads and writes hold together.
                async with sessions.writing(session):
                    await self.app(scope, receive, observed)
            else:
                await self.app(scope, receive, observed)
        finally:
            await journal()

    async def _journal(
        self,
        scope: Scope,
        headers: Headers,
        session: str,
        body: bytes,
        observed: _Observed,
        fault: str | None,
        started: float,
    ) -> None:
        routing = scope["extensions"].get("connexion_routing")
        operation_id = routing.get("operation_id") if routing else None
        vendor = self.runtime.contract.vendor_for(scope["path"], operation_id)
        await self.runtime.journal.record(
            Entry(
                time=self.runtime.clock.now(),
                session=session,
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b""),
                headers=list(headers.raw),
                body=bounded(body),
                status=observed.status,
                duration_ms=(time.perf_counter() - started) * 1000,
                response_headers=observed.headers,
                response_body=bounded(b"".join(observed.body)),
                operation_id=operation_id,
                vendor=vendor.name if vendor is not None else None,
                fault=fault,
                violations=scope["extensions"].get(VIOLATIONS_EXTENSION),
            )
        )

    async def _read_body(self, headers: Headers, receive: Receive) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise PayloadTooLargeError(f"Request body of {declared} bytes is over the limit of {self.max_body} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise PayloadTooLargeError(f"Request body is over the limit of {self.max_body} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class _Observed:
    """The ASGI `send` of a request, noting what was answered: status, headers, and the body up to
    what the journal keeps."""

    __slots__ = ("body", "finishing", "headers", "kept", "send", "status")

    def __init__(self, send: Send, finishing: Callable[[], Awaitable[None]]) -> None:
        self.send = send
        self.finishing = finishing
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.kept = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", ()))
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and self.kept <= MAX_BODY_BYTES:
                self.body.append(chunk)
                self.kept += len(chunk)
            if not message.get("more_body", False):
                await self.finishing()
        await self.send(message)


def _is_the_mocks_own(path: str) -> bool:
    """The control API, the Swagger UI and the contract: not the vendors' API, so no fault may break
    them (a `*` rule would fail the Swagger UI's scripts) and the journal shows only what an app sent."""
    return (
        path.startswith(CONTROL_PREFIX)
        or path in _CONTRACT_DOCUMENTS
        or (path.startswith(_SWAGGER_UI) and path[len(_SWAGGER_UI) : len(_SWAGGER_UI) + 1] in ("", "/"))
    )


@dataclass(slots=True)
class _Seen:
    session: str | None = None
    prefer: list[str] = field(default_factory=list)
    has_body: bool = False


def _scan(raw: list[tuple[bytes, bytes]]) -> _Seen:
    """The headers this layer needs, in one pass (ASGI names are lower-case)."""
    seen = _Seen()
    from_cookie = None
    for name, value in raw:
        if name == _SESSION_HEADER_RAW:
            if seen.session is None:
                seen.session = value.decode("latin-1") or None
        elif name == b"cookie":
            if from_cookie is None:
                from_cookie = cookie_parser(value.decode("latin-1")).get(SESSION_COOKIE)
        elif name == b"prefer":
            seen.prefer.append(value.decode("latin-1"))
        elif name in (b"content-length", b"transfer-encoding"):
            seen.has_body = True
    seen.session = seen.session or from_cookie
    return seen


async def _drop(scope: Scope, send: Send) -> None:
    if await drop_connection(scope):
        return
    # No server connection to close (an in-process client): promise a body and return without
    # it, the nearest an ASGI app can come. (Raising instead would make Starlette try to send a
    # 500 on a response already started.)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
    await send({"type": "http.response.body", "body": b"", "more_body": True})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _sniff_content_type(scope: Scope, headers: Headers, body: bytes) -> Scope:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _DEFAULT_LABELS:
        return scope
    sniffed = _SNIFFED.get(body.lstrip()[:1])
    return scope if sniffed is None else _relabelled(scope, sniffed)


def _as_json(scope: Scope, headers: Headers) -> Scope:
    """The control API takes JSON only, so a body is JSON whatever its label (``curl -T``, ``-d``)."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return scope if content_type == "application/json" else _relabelled(scope, "application/json")


def _relabelled(scope: Scope, content_type: str) -> Scope:
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    MutableHeaders(scope=scope)["content-type"] = content_type
    return scope
