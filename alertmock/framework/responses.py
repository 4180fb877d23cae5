"""The usual answer as a Starlette `Response`, built without `Response.__init__`'s generic steps.

`bytes_response` builds an answer of bytes with one media type and no headers of its own: the
same attributes set to the same values as `Response(body, status_code=…, media_type=…)` would,
but no rendering checks, no headers dict lower-cased, encoded and scanned, and the Content-Type
value encoded once per media type. It copies what `Response.__init__` and `init_headers` do, so
it lives in the framework adapter; `tests/framework/test_lean_response.py` holds it to
`Response` attribute for attribute and message for message.
"""

from __future__ import annotations

from starlette.responses import Response

from alertmock.bounded_cache import BoundedCache

__all__ = ["bytes_response"]

# Media type -> its Content-Type header value; media types come from the contract, so few.
_content_types: BoundedCache[str, bytes] = BoundedCache(128)


def bytes_response(body: bytes, status_code: int, media_type: str) -> Response:
    """`Response(body, status_code=status_code, headers={}, media_type=media_type)`, for bytes."""
    if type(body) is not bytes or status_code < 200 or status_code in (204, 304):
        return Response(body, status_code=status_code, headers={}, media_type=media_type)
    content_type = _content_types.get(media_type)
    if content_type is None:
        content_type = _content_types.put(media_type, _content_type(media_type))
    response = Response.__new__(Response)
    response.status_code = status_code
    response.media_type = media_type  # type: ignore[assignment]
    response.background = None
    response.body = body
    response.raw_headers = [(b"content-length", str(len(body)).encode("latin-1")), (b"content-type", content_type)]
    return response


def _content_type(media_type: str) -> bytes:
    # `Response.init_headers`' rule: a text type without a charset gets the response's.
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=" + Response.charset
    return media_type.encode("latin-1")
