"""`Front`: the engine's outer layers as one ASGI layer, the one the server calls.

Around the Connexion app, every request meets, outermost first: the edge (the server's `send`
kept for a drop, the access log line: `alertmock/layers/edge.py`), the Host check and the control API's
refusal of foreign writes (`alertmock/layers/origin_guard.py`), the control API's CORS rule for writes
(`alertmock/layers/control_cors.py`), CORS (`alertmock/layers/cors.py`), the error boundary
(`alertmock/layers/error_boundary.py`), the pages (`alertmock/dashboard/pages.py`) and the engine's
middleware (`alertmock/layers/engine.py`). Each concept stays in its module; this layer only orders
them.

A request with an ``Origin`` header goes through them as separate layers: the control API's rule,
Starlette's `CORSMiddleware`, the boundary, the pages, the engine. Most requests to a mock have
none (test runners, curl, server-side clients, conformance runs), and for those all that the
CORS layers do is add ``Vary: Origin``; so they take a short way: one pass over the headers
(shared with the engine's layer), the page or the engine called here, and one `send` that adds
``Vary: Origin`` and notes the status, for the log line and the boundary. Stacked, those layers
cost about a tenth of a simple GET's time. `tests/engine/test_front.py` holds the short way to
the layered one.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock.app.context import Runtime
from alertmock.dashboard import DashboardPages
from alertmock.layers.control_cors import ControlApiCORS
from alertmock.layers.cors import CorsPolicy, vary_on_origin
from alertmock.layers.edge import SERVER_SEND, StatusSeen, log_request
from alertmock.layers.engine import EngineMiddleware, Seen
from alertmock.layers.error_boundary import ErrorBoundary
from alertmock.layers.origin_guard import OriginGuard

__all__ = ["Front"]


class Front:
    def __init__(
        self,
        app: ASGIApp,
        *,
        runtime: Runtime,
        policy: CorsPolicy,
        security_schemes: dict[str, Any],
        swagger_ui: bool = True,
        log: bool = True,
        short_way: bool = True,
    ) -> None:
        # `app`: the rest of Connexion's stack (its exception layer, routing, the operations).
        self.app = app
        self.log = log
        self.secrets = runtime.secrets
        self.short_way = short_way
        # Before any of them: the Host check and the control API's refusal of foreign writes.
        self.guard = OriginGuard.from_config(runtime.config)
        self.engine = EngineMiddleware(app, runtime)
        self.pages = DashboardPages(self.engine, security_schemes=security_schemes, swagger_ui=swagger_ui)
        self.boundary = ErrorBoundary(self.pages, runtime)
        self.layered = ControlApiCORS(
            CORSMiddleware(self.boundary, **policy.middleware_options()), origins=list(policy.origins)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[SERVER_SEND] = send
        started = time.perf_counter() if self.log else 0.0
        answer: _Answer | StatusSeen | None = None
        try:
            refused = self.guard.refusal(scope)
            if refused is not None:
                answer = StatusSeen(send)
                await refused(scope, receive, answer)
                return
            seen = Seen(scope["headers"])
            if self.short_way and not seen.origin:
                answer = _Answer(send)
                try:
                    page = self.pages.find(scope)
                    if page is None:
                        await self.engine.serve(scope, receive, answer, seen)
                    else:
                        await page(scope, receive, answer)
                except Exception as exc:
                    await self.boundary.failed(scope, receive, answer, answer.started, exc)
            elif self.log:
                answer = StatusSeen(send)
                await self.layered(scope, receive, answer)
            else:
                await self.layered(scope, receive, send)
        finally:
            # The server's `send` is its request cycle's, and the cycle holds the scope: left in
            # the scope, every request would be a reference cycle, freed only by a collection
            # (about fourteen objects a request, and the scope's whole contents until then).
            del scope[SERVER_SEND]
            if self.log:
                log_request(scope, answer.status if answer is not None else 0, started, self.secrets)


class _Answer:
    """The server's `send` for a request without ``Origin``: the answer varies on ``Origin`` (what
    Starlette's CORS layer adds), and its status is noted for the log line and the boundary."""

    __slots__ = ("send", "started", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self.status = 0

    async def __call__(self, message: Message) -> None:
        if not self.started and message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            message["headers"] = vary_on_origin(list(message.get("headers", ())))
        await self.send(message)
