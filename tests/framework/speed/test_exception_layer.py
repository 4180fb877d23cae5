"""`LazyExceptionMiddleware` answers every exception as Connexion's `ExceptionMiddleware` does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from connexion.exceptions import ProblemException
from connexion.middleware.exceptions import ExceptionMiddleware
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse

from alertmock.framework.speed.exception_layer import LazyExceptionMiddleware


class Teapot(Exception):
    pass


class Unhandled(BaseException):  # not an `Exception`: no handler takes it
    pass


def _app(raised: BaseException | None, after_start: bool = False) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if after_start:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        if raised is not None:
            raise raised
        await PlainTextResponse("fine")(scope, receive, send)

    return app


def _teapot(request: Any, exc: Exception) -> PlainTextResponse:
    return PlainTextResponse(f"{type(exc).__name__} {request.url.path} {request.method}", status_code=418)


def _run(layer_cls: type, raised: BaseException | None, after_start: bool = False) -> Any:
    layer = layer_cls(_app(raised, after_start))
    layer.add_exception_handler(Teapot, _teapot)
    sent: list[Any] = []
    scope = {"type": "http", "method": "POST", "path": "/p", "headers": [], "query_string": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    try:
        asyncio.run(layer(scope, receive, send))
    except BaseException as exc:  # compared below, whatever it is
        return ("raised", type(exc), str(exc), sent)
    return ("answered", sent, sorted(scope))


@pytest.mark.parametrize(
    ("raised", "after_start"),
    [
        (None, False),
        (HTTPException(405, "no"), False),
        (HTTPException(404), False),
        (ProblemException(status=401, title="Unauthorized", detail="who"), False),
        (Teapot(), False),
        (ValueError("boom"), False),
        (Teapot(), True),
        (Unhandled(), False),
    ],
    ids=["none", "405", "404", "problem", "handled", "other", "after start", "unhandled"],
)
def test_it_answers_as_connexions_exception_middleware(raised: BaseException | None, after_start: bool) -> None:
    assert _run(LazyExceptionMiddleware, raised, after_start) == _run(ExceptionMiddleware, raised, after_start)
