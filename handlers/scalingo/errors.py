"""Scalingo's error bodies, for every error on its paths (called by the engine; never raises).

- 404 for a known resource: ``{"resource": "app", "error": "not found"}``
- 422, invalid or missing attributes: ``{"errors": {"limit": ["..."]}}``; a body that breaks the
  contract is reported this way too, with attribute names as Scalingo uses them (no ``alert.``)
- everything else (400 malformed JSON, 401, 405, 406, 415, 500): ``{"error": "..."}``
"""

from __future__ import annotations

import logging
from typing import Any

import orjson

from alertmock import ApiError, NotFoundError, Request, RequestValidationError, Response

logger = logging.getLogger(__name__)

_WRAPPER = "alert."


def render(request: Request, error: ApiError) -> Response:
    try:
        status, body = _status_and_body(error)
    except Exception:  # a renderer that raises would turn every error into an empty 500
        logger.exception("rendering %r", error)
        status, body = 500, {"error": "internal error"}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _status_and_body(error: ApiError) -> tuple[int, dict[str, Any]]:
    if isinstance(error, RequestValidationError) and error.location == "body":
        return 422, {"errors": {_attribute(name): messages for name, messages in error.fields.items()}}
    if error.status == 422 and "errors" in error.extra:
        return 422, {"errors": error.extra["errors"]}
    if isinstance(error, NotFoundError) and "resource" in error.extra:
        return 404, {"resource": error.extra["resource"], "error": "not found"}
    return error.status, {"error": error.message or error.reason}


def _attribute(name: str) -> str:
    return name.removeprefix(_WRAPPER)
