"""The one boundary where foreign exceptions become `ApiError`s and `ApiError`s become responses.

Connexion raises problems (401 from security, 400 from its validators, 415: read through
`alertmock.framework.problem_of`), Starlette
raises `HTTPException` (404 no route, 405), handlers raise `ApiError`. All of them are rendered by
the vendor whose ``path-pattern`` matches the request, so every error looks like that service's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from alertmock.app.context import Runtime
from alertmock.contract.document import Vendor
from alertmock.errors import (
    ApiError,
    BadRequestError,
    ForbiddenError,
    MethodNotAllowedError,
    NotAcceptableError,
    NotFoundError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from alertmock.framework import problem_of, routed_operation_id
from alertmock.layers.edge import StatusSeen

logger = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    406: NotAcceptableError,
    415: UnsupportedMediaTypeError,
}


def error_for_status(status: int, message: str) -> ApiError:
    """The engine's error class for `status` (an `ApiError` carrying it when there is none)."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls(message, status=status)
    error = ApiError(message, status=status)
    error.reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else error.reason
    return error


def to_api_error(exc: Exception, request: Request, runtime: Runtime) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    problem = problem_of(exc)
    if problem is not None:
        return error_for_status(*problem)
    if isinstance(exc, HTTPException):
        if exc.status_code == 405:
            allow = runtime.contract.allowed_methods(request.url.path)
            return MethodNotAllowedError(f"Request method '{request.method}' is not supported", allow=allow)
        if exc.status_code == 404:
            return NotFoundError(f"No operation at {request.url.path}")
        return error_for_status(exc.status_code, str(exc.detail))
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return ApiError("The mock failed unexpectedly; this is a bug in alertmock.", status=500)


def render(request: Request, error: ApiError, runtime: Runtime) -> Response:
    vendor = runtime.contract.vendor_for(request.url.path, routed_operation_id(request.scope))
    response = _problem(error) if vendor is None else _rendered_by(vendor, request, error)
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def _rendered_by(vendor: Vendor, request: Request, error: ApiError) -> Response:
    """The vendor's rendering of `error`, or the engine's own problem if the renderer fails.

    An exception inside an error handler would leave Connexion to answer an empty 500 instead of
    the error being reported, whatever the vendor's code does.
    """
    try:
        response = vendor.renderer()(request, error)
        if not isinstance(response, Response):
            raise TypeError(f"an error renderer returned {type(response).__name__}, not a Response")
        return response
    except Exception:
        logger.exception("the %s error renderer failed on %s %s", vendor.name, request.method, request.url.path)
        return _problem(error)


def _problem(error: ApiError) -> Response:
    """The mock's own errors (control API, paths no vendor claims): RFC 9457 problem details."""
    body = {"type": "about:blank", "title": error.reason, "status": error.status, "detail": error.message}
    # The only 401 of the mock's own is the control API's admin token (alertmock/controls/admin_token.py).
    headers = {"WWW-Authenticate": 'Bearer realm="alertmock control API"'} if error.status == 401 else None
    return Response(
        orjson.dumps(body), status_code=error.status, media_type="application/problem+json", headers=headers
    )


def render_exception(runtime: Runtime) -> Callable[[Request, Exception], Response]:
    """Any exception raised under the engine's layers answered as the vendor's error."""

    def answer(request: Request, exc: Exception) -> Response:
        return render(request, to_api_error(exc, request, runtime), runtime)

    return answer


class ErrorBoundary:
    """The last resort around the engine's outer layers: an exception before the answer started
    becomes the vendor's 500 (logged with its traceback by `to_api_error`)."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = StatusSeen(send)
        try:
            await self.app(scope, receive, seen)
        except Exception as exc:
            await self.failed(scope, receive, seen, seen.status != 0, exc)

    async def failed(self, scope: Scope, receive: Receive, send: Send, started: bool, exc: Exception) -> None:
        if started:
            # Part of an answer is out: nothing can replace it; the server closes the connection.
            raise exc
        request = Request(scope)
        await render(request, to_api_error(exc, request, self.runtime), self.runtime)(scope, receive, send)
