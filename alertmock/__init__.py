"""alertmock: a stateful mock and contract for the alerting APIs of Matatika, Tableau Server and Scalingo.

Handlers import what they need from here, and only from here.
"""

import warnings

# Connexion imports Starlette's test client at import time, which warns about httpx on every
# `alertmock` command; it says nothing about alertmock's own use.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from alertmock.app import create_app
from alertmock.config import Config
from alertmock.context import base_url, current_request, current_session, current_settings, current_state, new_uuid, now
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
from alertmock.negotiation import negotiate, respond
from alertmock.store import State
from alertmock.xml import dumps as to_xml

__version__ = "0.1.0"

__all__ = [
    # the app
    "Config",
    "create_app",
    # for handlers: state, time, ids, the request
    "State",
    "base_url",
    "current_request",
    "current_session",
    "current_settings",
    "current_state",
    "new_uuid",
    "now",
    # for handlers: answering
    "negotiate",
    "respond",
    "to_xml",
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
