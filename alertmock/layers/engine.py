"""The engine's middleware, the innermost of the front layer's concepts: what happens around every operation.

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
from typing import cast

from starlette.datastructures import MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.app.context import Runtime, bind
from alertmock.contract.preferences import Preferences, parse_preferences
from alertmock.errors import ApiError, PayloadTooLargeError
from alertmock.framework import routed_operation_id
from alertmock.layers.edge import drop_connection
from alertmock.layers.error_boundary import render
from alertmock.state.journal import MAX_BODY_BYTES, MAX_BODY_CHARS, Entry, bounded
from alertmock.state.store import DEFAULT_SESSION, RetryHoldingLock, State
from alertmock.state.store_outage import StoreUnavailableError

SESSION_HEADER = "x-mock-session"
SESSION_COOKIE = "X-Mock-Session"
_SESSION_HEADER_RAW = SESSION_HEADER.encode("latin-1")
CONTROL_PREFIX = "/__mock"
HEALTH_PATH = f"{CONTROL_PREFIX}/health"
READY_PATH = f"{CONTROL_PREFIX}/ready"


def is_control(path: str) -> bool:
    """A path of the control API (``/__mock`` or below it; not ``/__mockery``)."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


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
        await self.serve(scope, receive, send, Seen(scope["headers"]))

    async def serve(self, scope: Scope, receive: Receive, send: Send, seen: Seen) -> None:
        """An HTTP request whose headers the caller has scanned (the front layer does, once)."""
        # Connexion records the matched operation in scope["extensions"], on whatever copy of the
        # scope it holds; created here, the dict is shared by every copy, so the error boundary
        # sees it and renders the matched operation's vendor (uvicorn sends no "extensions").
        scope.setdefault("extensions", {})
        path = scope["path"]
        if "\n" in path:
            # Starlette mounts the API with a `.*` pattern, which stops at a newline: a path
            # parameter holding one would miss its operation and get a bare 404. Percent-encoded,
            # it reaches the operation, whose own 404 (no stored id contains "%0A") answers.
            path = path.replace("\n", "%0A")
            scope = {**scope, "path": path}
        session = seen.session or DEFAULT_SESSION
        sessions = self.runtime.sessions
        writes = scope["method"] not in _SAFE_METHODS
        own = _is_the_mocks_own(path)
        if path == HEALTH_PATH:
            # Liveness asks nothing of the state store (a hung Redis must not fail the probe).
            await self._unavailable(scope, receive, send, session, own, None)
            return
        try:
            state = await sessions.open(session, writing=writes)
        except StoreUnavailableError as error:
            await self._unavailable(scope, receive, send, session, own, error)
            return
        if own:
            if seen.has_body and is_control(path):
                scope = _as_json(scope, seen.content_type)
            bind(self.runtime, scope, session, state)
            if writes:
                async with sessions.writing(session):
                    await self.app(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        # One object per request: the `send` that notes the answer, and what the journal records.
        exchange = _Exchange(self, scope, session, send)
        body = b""
        try:
            try:
                bound = bind(self.runtime, scope, session, state)
                query = scope.get("query_string", b"")
                preferences = None
                if seen.prefer is not None or b"__" in query:
                    preferences = bound.preferences = exchange.preferences = parse_preferences(seen.prefer or [], query)
                if seen.has_body:
                    body = exchange.body = await self._read_body(seen.content_length, receive)
                    scope, body = _in_utf8(scope, seen.content_type, body)
                    scope = exchange.scope = bound.scope = _sniff_content_type(scope, seen.content_type, body)
                    receive = _Replay(body, receive)
                verdict = self.runtime.faults.judge(session, scope["method"], path)
                if verdict is not None or preferences is not None:
                    delay = (preferences.delay_ms / 1000 if preferences else 0) + (
                        verdict.delay_seconds if verdict else 0
                    )
                    if verdict is not None and verdict.delay_seconds:
                        exchange.fault = "latency"
                    if preferences is not None and preferences.delay_ms:
                        preferences.apply("delay", preferences.delay_ms)
                    if delay:
                        await asyncio.sleep(delay)
                    if verdict is not None and verdict.drop:
                        exchange.fault = "drop"
                        await _drop(scope, exchange)
                        return
                    if verdict is not None and verdict.error_status is not None:
                        exchange.fault = "error"
                        raise ApiError("Fault injected by the mock (PUT /__mock/faults)", status=verdict.error_status)
            except ApiError as error:
                await render(Request(scope), error, self.runtime)(scope, receive, exchange)
                return
            if writes:
                if sessions.optimistic:
                    # Writes held until the answer starts, applied if what was read is unchanged.
                    exchange.settling = state
                    try:
                        await self.app(scope, receive, exchange)
                        return
                    except RetryHoldingLock:
                        exchange.again()
                        receive = _Replay(body, receive)
                # Another process may serve the same session: the handler's reads and writes hold together.
                async with sessions.writing(session):
                    await self.app(scope, receive, exchange)
            else:
                await self.app(scope, receive, exchange)
        finally:
            if not exchange.journaled:
                await exchange.journal()

    async def _unavailable(
        self, scope: Scope, receive: Receive, send: Send, session: str, own: bool, error: StoreUnavailableError | None
    ) -> None:
        """The state store cannot be reached: the vendors' routes answer the 503 in their error
        form (journaled, sent when the store is back); liveness answers that the process is up."""
        bind(self.runtime, scope, session, cast(State, None))
        if scope["path"] == HEALTH_PATH or error is None:
            await self.app(scope, receive, send)
        elif own:
            await render(Request(scope), error, self.runtime)(scope, receive, send)
        else:
            await render(Request(scope), error, self.runtime)(scope, receive, _Exchange(self, scope, session, send))

    async def _read_body(self, declared: str | None, receive: Receive) -> bytes:
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
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
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class _Exchange:
    """One request's exchange: the ASGI `send` that notes what was answered (status, headers, and
    the body up to what the journal keeps), and the journal entry written from it, once, before
    the answer's last byte leaves (a client that reads the journal next, from another process
    say, finds the exchange there)."""

    __slots__ = (
        "answer",
        "body",
        "engine",
        "fault",
        "journaled",
        "kept",
        "preferences",
        "replaced",
        "request_headers",
        "response_headers",
        "scope",
        "send",
        "session",
        "settling",
        "started",
        "status",
    )

    def __init__(self, engine: EngineMiddleware, scope: Scope, session: str, send: Send) -> None:
        self.engine = engine
        self.scope = scope
        # The headers as they came (a relabelled body gets a scope of its own).
        self.request_headers: list[tuple[bytes, bytes]] = scope["headers"]
        self.session = session
        self.send = send
        self.started = time.perf_counter()
        self.body = b""
        self.fault: str | None = None
        self.journaled = False
        self.status = 0
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.answer: list[bytes] = []
        self.kept = 0
        self.preferences: Preferences | None = None
        self.settling: State | None = None
        self.replaced = False

    def again(self) -> None:
        """Nothing was sent (the first attempt's writes did not hold): the request runs again."""
        self.settling = None
        self.status, self.response_headers, self.answer, self.kept = 0, [], [], 0

    async def __call__(self, message: Message) -> None:
        if self.settling is not None and message["type"] == "http.response.start":
            state, self.settling = self.settling, None
            try:
                await state.settle()
            except ApiError as error:
                # The writes could not be applied (the store went away): that error is the answer,
                # in place of the handler's, whose messages are dropped. Raised from here, past a
                # framework layer that saw the answer start, it would have become a 500.
                self.replaced = True
                await render(Request(self.scope), error, self.engine.runtime)(self.scope, _no_body, self.forward)
                return
        if self.replaced:
            return
        await self.forward(message)

    async def forward(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and self.kept <= MAX_BODY_BYTES:
                self.answer.append(chunk)
                self.kept += len(chunk)
            if not message.get("more_body", False) and not self.journaled:
                await self.journal()
        elif kind == "http.response.start":
            if self.preferences is not None and (self.preferences.applied or self.preferences.ignored):
                message = {**message, "headers": [*message.get("headers", ()), *self.preferences.response_headers()]}
            self.status = message["status"]
            self.response_headers = list(message.get("headers", ()))
        await self.send(message)

    async def journal(self) -> None:
        self.journaled = True
        scope = self.scope
        extensions = scope["extensions"]
        operation_id = routed_operation_id(scope)
        runtime = self.engine.runtime
        if operation_id is None and self.fault is not None:
            # Answered by an injected fault before routing: the operation the request was for.
            operation_id = runtime.contract.operation_at(scope["method"], scope["path"])
        vendor = runtime.contract.vendor_for(scope["path"], operation_id)
        answer = self.answer
        answered = answer[0] if len(answer) == 1 else b"".join(answer)
        await runtime.journal.record(
            Entry(
                time=runtime.clock.now(),
                session=self.session,
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b""),
                headers=list(self.request_headers),
                body=body if len(body := self.body) <= MAX_BODY_CHARS else bounded(body),
                status=self.status,
                duration_ms=(time.perf_counter() - self.started) * 1000,
                response_headers=self.response_headers,
                response_body=answered if len(answered) <= MAX_BODY_CHARS else bounded(answered),
                operation_id=operation_id,
                vendor=vendor.name if vendor is not None else None,
                fault=self.fault,
                violations=extensions.get(VIOLATIONS_EXTENSION),
            )
        )


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _is_the_mocks_own(path: str) -> bool:
    """The control API, the Swagger UI and the contract: not the vendors' API, so no fault may break
    them (a `*` rule would fail the Swagger UI's scripts) and the journal shows only what an app sent."""
    return (
        is_control(path)
        or path in _CONTRACT_DOCUMENTS
        or (path.startswith(_SWAGGER_UI) and path[len(_SWAGGER_UI) : len(_SWAGGER_UI) + 1] in ("", "/"))
    )


_SCANNED = frozenset(
    (b"content-length", b"content-type", _SESSION_HEADER_RAW, b"cookie", b"prefer", b"origin", b"transfer-encoding")
)


class Seen:
    """The headers the outer layers need, in one pass over the raw ASGI list (names are lower-case);
    the first of a repeated header, as Starlette's `Headers.get` reads it. `origin`: whether the
    request has one (the front layer's choice of way)."""

    __slots__ = ("content_length", "content_type", "has_body", "origin", "prefer", "session")

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        session = from_cookie = content_length = content_type = None
        prefer: list[str] | None = None
        has_body = origin = False
        for name, value in raw:
            if name not in _SCANNED:
                continue
            if name == b"content-length":
                has_body = True
                if content_length is None:
                    content_length = value.decode("latin-1")
            elif name == b"content-type":
                if content_type is None:
                    content_type = value.decode("latin-1")
            elif name == _SESSION_HEADER_RAW:
                if session is None:
                    session = value.decode("latin-1") or None
            elif name == b"cookie":
                if from_cookie is None:
                    from_cookie = cookie_parser(value.decode("latin-1")).get(SESSION_COOKIE)
            elif name == b"prefer":
                if prefer is None:
                    prefer = []
                prefer.append(value.decode("latin-1"))
            elif name == b"origin":
                origin = True
            elif name == b"transfer-encoding":
                has_body = True
        self.session: str | None = session or from_cookie
        self.prefer = prefer
        self.has_body = has_body
        self.origin = origin
        self.content_length: str | None = content_length
        self.content_type: str | None = content_type


async def _drop(scope: Scope, send: Send) -> None:
    if await drop_connection(scope):
        return
    # No server connection to close (an in-process client): promise a body and return without
    # it, the nearest an ASGI app can come. (Raising instead would make Starlette try to send a
    # 500 on a response already started.)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
    await send({"type": "http.response.body", "body": b"", "more_body": True})


class _Replay:
    """The request's `receive`, giving the body already read first."""

    __slots__ = ("body", "receive")

    def __init__(self, body: bytes, receive: Receive) -> None:
        self.body: bytes | None = body
        self.receive = receive

    async def __call__(self) -> Message:
        body = self.body
        if body is not None:
            self.body = None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self.receive()


def _label(content_type: str | None) -> str:
    return "" if content_type is None else content_type.split(";")[0].strip().lower()


def _sniff_content_type(scope: Scope, content_type: str | None, body: bytes) -> Scope:
    if _label(content_type) not in _DEFAULT_LABELS:
        return scope
    sniffed = _SNIFFED.get(body.lstrip()[:1])
    return scope if sniffed is None else _relabelled(scope, sniffed)


def _in_utf8(scope: Scope, content_type: str | None, body: bytes) -> tuple[Scope, bytes]:
    """A JSON body in another declared charset (``application/json; charset=latin-1``), as UTF-8.

    Connexion's validator decodes a body by its declared charset, but the handler's arguments are
    parsed as UTF-8, the only encoding JSON between systems may use (RFC 8259): the handler got
    nothing and failed with a 500. Transcoded here, before either reads it, both see one text. A
    charset Python does not know, or bytes it cannot decode, are left for the validator's 400.
    """
    if content_type is None or "charset" not in content_type.lower():
        return scope, body
    label = _label(content_type)
    if label != "application/json" and not label.endswith("+json"):
        return scope, body
    charset = next(
        (p.split("=", 1)[1].strip().strip('"').lower() for p in content_type.split(";")[1:] if "=" in p),
        "utf-8",
    )
    if charset.replace("-", "").replace("_", "") == "utf8":
        return scope, body
    try:
        utf8 = body.decode(charset).encode("utf-8")
    except (LookupError, UnicodeError):
        return scope, body
    scope = _relabelled(scope, label)
    MutableHeaders(scope=scope)["content-length"] = str(len(utf8))
    return scope, utf8


def _as_json(scope: Scope, content_type: str | None) -> Scope:
    """The control API takes JSON only, so a body is JSON whatever its label (``curl -T``, ``-d``)."""
    return scope if _label(content_type) == "application/json" else _relabelled(scope, "application/json")


def _relabelled(scope: Scope, content_type: str) -> Scope:
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    MutableHeaders(scope=scope)["content-type"] = content_type
    return scope
