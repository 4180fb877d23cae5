"""The control API's CORS: only for the origins ``--cors-origins`` names, never ``*``.

The vendor routes answer any origin by default (a frontend under development calls them from
wherever it is served). A control that changes the mock (``PUT /__mock/state``, ``PUT
/__mock/faults``, ``POST /__mock/reset``) is another matter: with ``*``, any web page open in a
developer's browser could drive it; and reading it (the journal, the state, the violations)
hands that page whatever credentials went through. This layer wraps the app's CORS middleware
and, for a request to the control API (or its preflight), keeps the CORS headers only when the
request's origin is listed explicitly; a ``*`` granted by the inner layer becomes that origin.
Health and readiness, which hold nothing, keep the inner layer's answer. Without the headers the
browser refuses to show the answer; other clients are unaffected. (A write's effect is refused
before this, by `alertmock/layers/origin_guard.py`.)
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.layers.engine import HEALTH_PATH, READY_PATH, is_control

__all__ = ["ControlApiCORS"]

# Nothing in them is anyone's: any page may read them, as it may the vendor routes.
_OPEN_TO_ANY_ORIGIN = frozenset({HEALTH_PATH, READY_PATH})


class ControlApiCORS:
    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.origins = frozenset(o.encode("latin-1") for o in origins if o != "*")  # normalised by CorsPolicy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if not is_control(path) or path in _OPEN_TO_ANY_ORIGIN:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])  # the last of a repeated header; Origin is never repeated
        origin = headers.get(b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = origin in self.origins

        async def send_for_named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _cors_for(origin, allowed, list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_for_named)


def _cors_for(origin: bytes, allowed: bool, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """An allowed origin named instead of ``*``; for any other, no ``Access-Control-*`` header at all."""
    kept = []
    for name, value in headers:
        lowered = name.lower()
        if not lowered.startswith(b"access-control-"):
            kept.append((name, value))
        elif allowed:
            kept.append((name, origin if lowered == b"access-control-allow-origin" else value))
    return kept
