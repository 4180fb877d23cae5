"""`base_url()` computed once per request instead of once per call.

HAL answers carry several links per item (Matatika's 20-item list calls `base_url()` 57 times),
and each call built a new Starlette `Request` and `URL`: two thirds of that list's time. The
answer only depends on the request, so the first call stores it in the ASGI scope (ASGI allows
servers and middleware to add keys to it) and later calls of the same request read it.

Same semantics as `alertmock.context.base_url`: ``X-Forwarded-Proto/Host/Port`` honoured, then
the ``Host`` header, then the server address.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Scope

from alertmock.context import _scope

__all__ = ["base_url"]

_KEY = "alertmock.base_url"
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def base_url(request: Request | None = None) -> str:
    """The URL a client used to reach the mock, honouring ``X-Forwarded-Proto/Host/Port``.

    Links built from it keep a client that follows them on the mock.
    """
    scope = request.scope if request is not None else _scope.get()
    cached = scope.get(_KEY)
    if cached is None:
        cached = scope[_KEY] = _compute(scope)
    return cached  # type: ignore[no-any-return]


def _first(value: bytes) -> str:
    return value.decode("latin-1").split(",")[0].strip()


def _compute(scope: Scope) -> str:
    wanted = {b"x-forwarded-proto": "", b"x-forwarded-host": "", b"x-forwarded-port": "", b"host": ""}
    for name, value in scope.get("headers", ()):
        name = name.lower()
        if name in wanted and not wanted[name]:
            wanted[name] = _first(value) if name != b"host" else value.decode("latin-1").strip()
    scheme = wanted[b"x-forwarded-proto"] or scope.get("scheme", "http")
    host = wanted[b"x-forwarded-host"] or wanted[b"host"]
    port = wanted[b"x-forwarded-port"]
    if not host:
        server = scope.get("server")
        if server:
            server_host, server_port = server[0], server[1]
            default = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
            host = server_host if server_port is None or str(server_port) == default else f"{server_host}:{server_port}"
        else:
            host = "localhost"
    if port and ":" not in host.rsplit("]", 1)[-1] and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"
