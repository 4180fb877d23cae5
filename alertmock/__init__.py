"""alertmock: a stateful mock and contract for the alerting APIs of Matatika, Tableau Server and Scalingo.

Handlers import what they need from here, and only from here. `create_app` is imported on first
use: importing alertmock for a handler's names does not import Connexion, so the CLI can set its
warning filters before Connexion's import-time warnings (alertmock/framework/process.py).
"""

from typing import TYPE_CHECKING, Any

# What handlers answer with and what an error renderer reads: Starlette's public classes, named
# here so that handlers import nothing but `alertmock`.
from starlette.requests import Request
from starlette.responses import Response

from alertmock.app.config import Config
from alertmock.app.context import (
    base_url,
    current_operation,
    current_request,
    current_session,
    current_settings,
    current_state,
    new_uuid,
    now,
)
from alertmock.contract.negotiation import negotiate, respond
from alertmock.contract.xml import dumps as to_xml
from alertmock.errors import (
    ApiError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    MethodNotAllowedError,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
    RequestValidationError,
    UnauthorizedError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from alertmock.frozen import freeze
from alertmock.state.store import State

if TYPE_CHECKING:
    from alertmock.app.factory import create_app

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from alertmock.app.factory import create_app

        return create_app
    raise AttributeError(f"module 'alertmock' has no attribute {name!r}")


__all__ = [
    # the app
    "Config",
    "create_app",
    # for handlers: state, time, ids, the request
    "State",
    "base_url",
    "current_operation",
    "current_request",
    "current_session",
    "current_settings",
    "current_state",
    "new_uuid",
    "now",
    # for handlers: answering
    "Request",
    "Response",
    "negotiate",
    "respond",
    "to_xml",
    # for handlers: wire forms kept between requests (frozen: serialisers may keep their text too)
    "freeze",
    # errors
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
