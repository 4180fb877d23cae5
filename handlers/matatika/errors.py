"""Matatika's errors: Spring Boot's default error body, `{"timestamp", "status", "error", "message", "path"}`."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus

import orjson

from alertmock import ApiError, Request, Response, now

# Spring Security's wording when no credentials came with the request.
_NO_CREDENTIALS = "Full authentication is required to access this resource"


def render(request: Request, error: ApiError) -> Response:
    headers = dict(error.headers)
    message = error.message
    if error.status == 401:
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            headers.setdefault(
                "WWW-Authenticate", 'Bearer error="invalid_token", error_description="The access token is not valid"'
            )
        else:
            message = _NO_CREDENTIALS
            headers.setdefault("WWW-Authenticate", "Bearer")
    body = {
        "timestamp": _timestamp(),
        "status": error.status,
        "error": _reason(error.status),
        "message": message,
        "path": request.url.path,
    }
    return Response(orjson.dumps(body), status_code=error.status, headers=headers, media_type="application/json")


def _timestamp() -> str:
    """A java.util.Date as Spring Boot's Jackson writes it: milliseconds and a +00:00 offset."""
    try:
        instant = now().astimezone(UTC)
    except LookupError:  # rendered outside a request's context: must not fail
        instant = datetime(1970, 1, 1, tzinfo=UTC)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}+00:00"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
