"""Sending a request on to the real service and reading its answer, as a transparent proxy does.

The request goes out with its method, path, query string, body and headers as they came
(credentials included), less the hop-by-hop headers of RFC 9110 §7.6.1 and ``Host`` (the
upstream's own is sent). The answer is read raw, without undoing its ``Content-Encoding``, so
the bytes the client gets are the bytes the service sent.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import httpx

__all__ = ["Forwarder", "UpstreamError", "Upstreams", "decoded", "passed_back", "read_raw"]

# Connection-level headers, meaningful between two hops only (RFC 9110 §7.6.1): never passed on.
HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
)
# The request's framing and target, which the client to the upstream sets for itself.
_SET_BY_CLIENT = frozenset({b"host", b"content-length"})
# A staging service can be slow; a proxy that gives up before the client does only adds noise.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class UpstreamError(Exception):
    """The upstream could not be reached or did not answer in time (the proxy answers 502 or 504)."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


@dataclass(frozen=True)
class Upstreams:
    """The base URL of the service behind each vendor; `default` serves vendors without their own."""

    default: str | None = None
    by_vendor: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        for url in [self.default, *(self.by_vendor or {}).values()]:
            if url is not None and httpx.URL(url).scheme not in ("http", "https"):
                raise ValueError(f"upstream {url!r} is not an http(s) URL")
        if self.default is None and not self.by_vendor:
            raise ValueError("no upstream: give --upstream URL or --upstream-<vendor> URL")

    def for_vendor(self, vendor: str | None) -> str | None:
        return (self.by_vendor or {}).get(vendor or "", self.default)


class Forwarder:
    """One pooled HTTP client for every upstream."""

    def __init__(self, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        # No redirects followed and no cookies kept: each answer goes back to the client as it is.
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)

    async def open(
        self, base: str, method: str, raw_path: bytes, query: bytes, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> httpx.Response:
        """The upstream's answer, its body not read yet (iterate `aiter_raw`, then `aclose`)."""
        url = httpx.URL(base)
        target = url.raw_path.split(b"?", 1)[0].rstrip(b"/") + raw_path + (b"?" + query if query else b"")
        request = self._client.build_request(
            method,
            url.copy_with(raw_path=target),
            headers=[(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP and n.lower() not in _SET_BY_CLIENT],
            content=body if body or method not in ("GET", "HEAD", "DELETE", "OPTIONS") else None,
        )
        # httpx fills in what the client did not send; a proxy must not add headers of its own.
        for name in ("accept", "accept-encoding", "user-agent", "connection"):
            if not any(n.lower() == name.encode() for n, _ in headers):
                request.headers.pop(name, None)
        try:
            return await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise UpstreamError(f"{base} did not answer in time: {type(exc).__name__}", timeout=True) from exc
        except httpx.HTTPError as exc:
            raise UpstreamError(f"{base} could not be reached: {type(exc).__name__}: {exc}") from exc

    async def aclose(self) -> None:
        await self._client.aclose()


async def read_raw(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as sent (still encoded), chunk by chunk; upstream failures become `UpstreamError`."""
    try:
        async for chunk in response.aiter_raw():
            yield chunk
    except httpx.HTTPError as exc:
        raise UpstreamError(f"the upstream's answer broke off: {type(exc).__name__}") from exc


def decoded(body: bytes, content_encoding: str | None) -> bytes | None:
    """`body` without its gzip or deflate ``Content-Encoding`` (to check it), None if unknown."""
    encoding = (content_encoding or "identity").strip().lower()
    try:
        if encoding in ("identity", ""):
            return body
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)
    except zlib.error:
        return None
    return None


def passed_back(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers as the client gets them: all but the hop-by-hop ones."""
    return [(name.lower(), value) for name, value in headers if name.lower() not in HOP_BY_HOP]
