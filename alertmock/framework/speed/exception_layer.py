"""Connexion's `ExceptionMiddleware`, its request object built only when an exception is handled.

Starlette's `ExceptionMiddleware.__call__` builds a `Request` for every request, and
`wrap_app_handling_exceptions` a closure around the app, only to have them ready should a handler
be needed; most requests raise nothing. `LazyExceptionMiddleware.__call__` is that code (Starlette
1.x, `starlette/middleware/exceptions.py` and `starlette/_exception_handler.py`) in one frame,
with the `Request` made from the same scope, receive and send when an exception has been caught:
the same handlers get the same exceptions, and the same request. A websocket or anything other
than HTTP takes Starlette's way.
"""

from __future__ import annotations

from connexion.middleware.exceptions import ExceptionMiddleware
from starlette._exception_handler import _lookup_exception_handler
from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

__all__ = ["LazyExceptionMiddleware"]


class LazyExceptionMiddleware(ExceptionMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        exception_handlers, status_handlers = scope["starlette.exception_handlers"] = (
            self._exception_handlers,
            self._status_handlers,
        )
        response_started = False

        async def sender(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, sender)
        except Exception as exc:
            handler = None
            if isinstance(exc, HTTPException):
                handler = status_handlers.get(exc.status_code)
            if handler is None:
                handler = _lookup_exception_handler(exception_handlers, exc)
            if handler is None:
                raise exc
            if response_started:
                raise RuntimeError("Caught handled exception, but response already started.") from exc
            conn = Request(scope, receive, send)
            if is_async_callable(handler):
                response = await handler(conn, exc)
            else:
                response = await run_in_threadpool(handler, conn, exc)
            if response is not None:
                await response(scope, receive, sender)
            # Reused exception instances accumulate tracebacks across requests.
            exc.__traceback__ = None
