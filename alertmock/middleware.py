"""The engine's outermost ASGI layer: binds the request context, bounds and sniffs the body.

It reads the body once (refusing it with a 413 past the configured limit, before any parsing),
and recognises curl's default ``application/x-www-form-urlencoded`` label on a body that is
really XML or JSON (``curl -d @file`` without ``-H``: the documents' own Tableau examples do it,
and the real server accepts them).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.context import Runtime, bind
from alertmock.error_handlers import render
from alertmock.errors import ApiError, PayloadTooLargeError
from alertmock.store import DEFAULT_SESSION

SESSION_HEADER = "x-mock-session"
SESSION_COOKIE = "X-Mock-Session"
_SNIFFED = {b"<": "application/xml", b"{": "application/json", b"[": "application/json"}


class EngineMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime
        self.max_body = runtime.config.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        session = headers.get(SESSION_HEADER) or _cookie(headers.get("cookie"), SESSION_COOKIE) or DEFAULT_SESSION
        bind(self.runtime, scope, session)
        try:
            if "content-length" in headers or "transfer-encoding" in headers:
                body = await self._read_body(headers, receive)
                scope = _sniff_content_type(scope, headers, body)
                receive = _replay(body, receive)
                bind(self.runtime, scope, session)
        except ApiError as error:
            await render(Request(scope), error, self.runtime)(scope, receive, send)
            return
        await self.app(scope, receive, send)

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
    if content_type not in ("", "application/x-www-form-urlencoded"):
        return scope
    sniffed = _SNIFFED.get(body.lstrip()[:1])
    if sniffed is None:
        return scope
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    MutableHeaders(scope=scope)["content-type"] = sniffed
    return scope


def _cookie(header: str | None, name: str) -> str | None:
    if not header:
        return None
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None
