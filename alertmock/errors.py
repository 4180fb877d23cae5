"""Errors the engine and the handlers raise; each vendor renders them in its own format.

    ApiError                      any error answered to the client (status, message, code)
    ├── BadRequestError           400
    │   └── RequestValidationError    400, with the offending field(s) and where they were
    ├── UnauthorizedError         401
    ├── ForbiddenError            403
    ├── NotFoundError             404
    ├── MethodNotAllowedError     405, with the methods the path has
    ├── NotAcceptableError        406
    ├── ConflictError             409
    ├── PayloadTooLargeError      413
    ├── UnsupportedMediaTypeError 415
    └── UnprocessableEntityError  422

Handlers raise these; `alertmock.app.factory` turns Connexion's and Starlette's own exceptions into
them at one boundary, and the vendor's `errors.render` writes the response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "ApiError",
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "NotFoundError",
    "PayloadTooLargeError",
    "RequestValidationError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
]


class ApiError(Exception):
    """An error answered to the client; `code` and `extra` carry vendor specifics."""

    status: int = 500
    reason: str = "Internal Server Error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.code = code
        self.extra: dict[str, Any] = dict(extra or {})
        self.headers: dict[str, str] = dict(headers or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status}, code={self.code!r})"


class BadRequestError(ApiError):
    """The request is malformed (unparseable body, bad parameter)."""

    status = 400
    reason = "Bad Request"


class RequestValidationError(BadRequestError):
    """The request does not match the contract; `fields` maps each offending name to messages.

    `location` is where the fields are: "body", "query", "path", "header" or "cookie".
    """

    def __init__(self, message: str, *, location: str, fields: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.location = location
        self.fields: dict[str, list[str]] = {name: list(msgs) for name, msgs in (fields or {}).items()}


class UnauthorizedError(ApiError):
    """No credentials, or credentials the mock does not know."""

    status = 401
    reason = "Unauthorized"


class ForbiddenError(ApiError):
    """Known credentials without the permission the operation needs."""

    status = 403
    reason = "Forbidden"


class NotFoundError(ApiError):
    """No such route, resource or parent resource."""

    status = 404
    reason = "Not Found"


class MethodNotAllowedError(ApiError):
    """The path exists but not with this method; `allow` lists the methods it has."""

    status = 405
    reason = "Method Not Allowed"

    def __init__(self, message: str, *, allow: Sequence[str], code: str | None = None) -> None:
        super().__init__(message, code=code, headers={"Allow": ", ".join(allow)})
        self.allow = list(allow)


class NotAcceptableError(ApiError):
    """No documented media type satisfies the request's Accept header."""

    status = 406
    reason = "Not Acceptable"


class ConflictError(ApiError):
    """The resource's current state forbids the operation."""

    status = 409
    reason = "Conflict"


class PayloadTooLargeError(ApiError):
    """The body is over the configured size limit."""

    status = 413
    reason = "Payload Too Large"


class UnsupportedMediaTypeError(ApiError):
    """The body's Content-Type is not one the operation documents."""

    status = 415
    reason = "Unsupported Media Type"


class UnprocessableEntityError(ApiError):
    """The body parses and validates but cannot be applied."""

    status = 422
    reason = "Unprocessable Entity"
