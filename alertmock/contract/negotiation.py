"""Content negotiation: pick the documented media type the client accepts, and serialise to it.

Connexion ignores ``Accept``; here the operation's documented media types for the response
status are the offer, the request's ``Accept`` header is the demand, and no match is a 406.

The usual answer (bytes, one media type) is built by the framework adapter's `bytes_response`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from starlette.responses import Response

from alertmock.app.context import current_operation_id, current_runtime, request_header
from alertmock.bounded_cache import BoundedCache
from alertmock.contract import xml
from alertmock.contract.document import Operation
from alertmock.errors import NotAcceptableError
from alertmock.framework import bytes_response


def respond(body: Any = None, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """Answer `body` in the media type the client accepts among those the contract documents.

    JSON media types are serialised with orjson; XML ones with `alertmock.contract.xml`, guided by the
    schema's ``xml`` objects (element names, attributes, namespace). A status documented without
    content (204) answers an empty body.
    """
    operation = current_runtime().contract.operations[current_operation_id()]  # type: ignore[index]
    return respond_for(operation, body, status, headers)


def respond_for(operation: Operation, body: Any, status: int, headers: Mapping[str, str] | None = None) -> Response:
    documented = operation.response(status)
    content = documented.content if documented is not None else {}
    if not content or body is None:
        return Response(status_code=status, headers=dict(headers or {}))
    media_type = negotiate(tuple(content), request_header("accept"))
    serialised = serialise(body, media_type, content[media_type].get("schema", {}))
    if not headers:
        # The usual answer: bytes in one media type, no headers of its own.
        return bytes_response(serialised, status, media_type)
    return Response(serialised, status_code=status, headers=dict(headers), media_type=media_type)


def serialise(body: Any, media_type: str, schema: Mapping[str, Any]) -> bytes:
    if is_json(media_type):
        return orjson.dumps(body)
    if is_xml(media_type):
        # An example quoted verbatim from the documents is already XML.
        return body.encode() if isinstance(body, str) else xml.dumps(body, schema)
    return body if isinstance(body, bytes) else str(body).encode()


def negotiate(offered: Sequence[str], accept: str | None) -> str:
    """The first offered media type with the highest quality in `accept`; 406 if none."""
    chosen = _negotiate(tuple(offered), accept or "*/*")
    if chosen is None:
        raise NotAcceptableError(f"None of the media types this operation produces is acceptable: {', '.join(offered)}")
    return chosen


# (offered, Accept header) -> the chosen media type: Accept headers come from clients, so bounded.
_chosen: BoundedCache[tuple[tuple[str, ...], str], str | None] = BoundedCache(1024)
_UNKNOWN: Any = object()


def _negotiate(offered: tuple[str, ...], accept: str) -> str | None:
    key = (offered, accept)
    chosen = _chosen.get(key, _UNKNOWN)
    if chosen is _UNKNOWN:  # (no closure built per call: this runs on every answer)
        chosen = _chosen.put(key, _choose(offered, accept))
    return chosen  # type: ignore[no-any-return]


def _choose(offered: tuple[str, ...], accept: str) -> str | None:
    best: tuple[float, int] = (0.0, len(offered))
    chosen = None
    for media_range, quality in _parse_accept(accept):
        for index, media_type in enumerate(offered):
            if quality > 0 and _matches(media_range, media_type) and (quality, -index) > (best[0], -best[1]):
                best, chosen = (quality, index), media_type
    return chosen


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media_range, *params = (p.strip() for p in part.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    kind, _, subtype = media_range.partition("/")
    offered_kind, _, offered_subtype = media_type.lower().partition("/")
    return kind == offered_kind and subtype in ("*", offered_subtype)


def is_json(media_type: str) -> bool:
    kind = _kinds.get(media_type)
    if kind is None:
        kind = _kinds.put(media_type, _kind(media_type))
    return kind == "json"  # type: ignore[no-any-return]


def is_xml(media_type: str) -> bool:
    kind = _kinds.get(media_type)
    if kind is None:
        kind = _kinds.put(media_type, _kind(media_type))
    return kind == "xml"  # type: ignore[no-any-return]


# Media type -> "json", "xml" or "": asked of every answer, for the contract's few media types
# (and what clients send in Content-Type, so bounded).
_kinds: BoundedCache[str, str] = BoundedCache(256)


def _kind(media_type: str) -> str:
    essence = media_type.split(";")[0].strip().lower()
    for kind in ("json", "xml"):
        if essence.endswith("/" + kind) or essence.endswith("+" + kind):
            return kind
    return ""
