"""The CORS short way (Starlette's CORSMiddleware skipped for a request without ``Origin``, only
`vary_on_origin` applied, as `alertmock/layers/front.py` does) answers exactly what Starlette's
CORSMiddleware answers."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from alertmock.layers.cors import vary_on_origin


class ShortWayCORSMiddleware(CORSMiddleware):
    """Starlette's CORS layer with the front layer's short way for requests without ``Origin``."""

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or any(name == b"origin" for name, _ in scope["headers"]):
            await super().__call__(scope, receive, send)
            return

        async def send_varying_on_origin(message) -> None:  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                message["headers"] = vary_on_origin(list(message.get("headers", ())))
            await send(message)

        await self.app(scope, receive, send_varying_on_origin)


async def plain(request) -> PlainTextResponse:  # type: ignore[no-untyped-def]
    return PlainTextResponse("plain")


async def varying(request) -> PlainTextResponse:  # type: ignore[no-untyped-def]
    return PlainTextResponse("varying", headers={"Vary": "Accept"})


async def varying_twice(request) -> PlainTextResponse:  # type: ignore[no-untyped-def]
    response = PlainTextResponse("varying twice", headers={"Vary": "Accept"})
    response.raw_headers.append((b"x-between", b"1"))
    response.raw_headers.append((b"vary", b"Accept-Language"))
    return response


def _client(cls: type[CORSMiddleware]) -> TestClient:
    app = Starlette(
        routes=[
            Route("/plain", plain, methods=["GET", "POST"]),
            Route("/varying", varying),
            Route("/varying-twice", varying_twice),
        ],
        middleware=[Middleware(cls, allow_origins=["*"], allow_methods=["*"], allow_headers=["x-custom"])],
    )
    return TestClient(app)


CASES = [
    ("GET", "/plain", {}),
    ("GET", "/varying", {}),
    ("GET", "/varying-twice", {}),
    ("GET", "/plain", {"Origin": "http://app.example"}),
    ("GET", "/varying", {"Origin": "http://app.example"}),
    ("POST", "/plain", {}),
    ("GET", "/missing", {}),
    ("OPTIONS", "/plain", {"Origin": "http://app.example", "Access-Control-Request-Method": "GET"}),
]


@pytest.mark.parametrize(("method", "path", "headers"), CASES)
def test_same_answer_as_starlette(method: str, path: str, headers: dict[str, str]) -> None:
    expected = _client(CORSMiddleware).request(method, path, headers=headers)
    got = _client(ShortWayCORSMiddleware).request(method, path, headers=headers)
    assert (got.status_code, got.text, got.headers.multi_items()) == (
        expected.status_code,
        expected.text,
        expected.headers.multi_items(),
    )


def test_an_answer_to_a_request_without_origin_varies_on_origin_once() -> None:
    response = _client(ShortWayCORSMiddleware).get("/plain")
    assert response.headers.get_list("vary") == ["Origin"]
    assert "access-control-allow-origin" not in response.headers
