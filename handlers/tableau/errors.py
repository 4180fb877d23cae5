"""Tableau's error format for every error on Tableau's paths.

XML by default (``<tsResponse xmlns="http://tableau.com/api"><error code="…"><summary>…</summary>
<detail>…</detail></error></tsResponse>``), ``{"error": {"summary", "detail", "code"}}`` for a
client that prefers JSON. The code is the HTTP status followed by three digits; errors raised by
the handlers carry theirs (`_faults`), the engine's own are mapped here.
"""

from __future__ import annotations

import orjson

from alertmock import (
    ApiError,
    MethodNotAllowedError,
    NotAcceptableError,
    Request,
    RequestValidationError,
    Response,
    negotiate,
    to_xml,
)

NAMESPACE = "http://tableau.com/api"
MEDIA_TYPES = ("application/xml", "application/json")

# Codes for errors the engine raises without one: Tableau's "<status>000" convention.
_GENERIC: dict[int, tuple[str, str]] = {
    400: ("400000", "Bad Request"),
    401: ("401002", "Unauthorized Access"),
    403: ("403000", "Forbidden"),
    404: ("404003", "Resource Not Found"),
    405: ("405000", "Invalid request method"),
    406: ("406000", "Not Acceptable"),
    409: ("409000", "Conflict"),
    413: ("413000", "Payload Too Large"),
    415: ("415000", "Unsupported Media Type"),
    422: ("422000", "Unprocessable Entity"),
    500: ("500000", "Internal Server Error"),
    503: ("503000", "Service Unavailable"),
}

_PAGING = {
    "pageNumber": (
        "400006",
        "Invalid page number",
        "The page number parameter is not an integer, is less than one, or is greater than the final page number "
        "for the sites at the requested page size.",
    ),
    "pageSize": ("400007", "Invalid page size", "The page size parameter is not an integer, or is less than one."),
}


def render(request: Request, error: ApiError) -> Response:
    try:
        code, summary, detail = _describe(request, error)
        media_type = _media_type(request)
    except Exception:  # rendering must never fail: fall back to the bare status
        code, summary, detail, media_type = f"{error.status}000", error.reason, error.message, MEDIA_TYPES[0]
    if media_type == "application/json":
        body = orjson.dumps({"error": {"summary": summary, "detail": detail, "code": code}})
    else:
        body = _xml(code, summary, detail)
    return Response(body, status_code=error.status, media_type=media_type)


def _describe(request: Request, error: ApiError) -> tuple[str, str, str]:
    code, summary = _GENERIC.get(error.status, (f"{error.status}000", error.reason))
    detail = error.message
    if error.code:
        return error.code, str(error.extra.get("summary", summary)), detail
    if isinstance(error, RequestValidationError):
        if error.location == "query":
            for name, described in _PAGING.items():
                if name in error.fields:
                    return described
        if error.location == "body":
            detail = f"Payload is either malformed or incomplete: {error.message}"
    elif error.status == 400:
        detail = f"Payload is either malformed or incomplete: {error.message}"
    elif error.status == 401 and not request.headers.get("x-tableau-auth"):
        return "401000", "Unauthorized Access", "No authentication credentials were provided."
    elif error.status == 401:
        detail = "Invalid authentication credentials were provided."
    elif error.status == 404:
        detail = f"Unknown resource '{request.url.path}' specified in URI."
    elif isinstance(error, MethodNotAllowedError):
        detail = f"Request type was not {' or '.join(error.allow) or 'supported'}."
    return code, summary, detail


def _media_type(request: Request) -> str:
    try:
        return negotiate(MEDIA_TYPES, request.headers.get("accept"))
    except NotAcceptableError:
        return MEDIA_TYPES[0]  # a 406 (or any error) for an unservable Accept still answers XML


# The shape of the contract's error schema, for errors raised outside any operation (no route).
_ERROR_XML = {
    "xml": {"name": "tsResponse", "namespace": NAMESPACE},
    "properties": {"error": {"properties": {"code": {"xml": {"attribute": True}}}}},
}


def _xml(code: str, summary: str, detail: str) -> bytes:
    return to_xml({"error": {"code": code, "summary": summary, "detail": detail}}, _ERROR_XML)
