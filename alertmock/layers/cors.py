"""CORS on every answer the mock gives: the one place that decides the CORS headers.

`CorsPolicy` says what a browser app on another origin may do, from the configuration and the
contract: which origins (``--cors-origins``); credentials (cookies, ``X-Mock-Session`` as a
cookie) only with explicit origins, since browsers refuse them with ``*``; which request headers a
preflight allows (any the browser asks for, as Prism does, unless ``--cors-headers`` lists them,
and always the ones the contract names); which response headers the page may read (every one the
contract declares, such as ``Location``, ``WWW-Authenticate`` and ``Allow``).

The front layer (`alertmock/layers/front.py`) puts Starlette's CORS middleware outside everything else,
the error boundary included, so faults, 413s, ``Prefer`` errors and the control API carry the
headers too.

The front layer takes a short way through for requests without ``Origin``, with `vary_on_origin`.
Most traffic to a mock is not cross-origin: test runners, curl, server-side clients, QA's
conformance runs. For those, Starlette's `CORSMiddleware` only adds ``Vary: Origin`` to the answer,
yet it wraps every request in parsed header objects on the way in and out (about a tenth of a
simple GET's time in the engine). Here such a request is passed through with one header appended;
an answer that already varies on something gets ``Origin`` added to its one ``Vary`` header, as
Starlette writes it. A request with an ``Origin`` takes Starlette's path unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alertmock.layers.engine import SESSION_HEADER

if TYPE_CHECKING:
    from alertmock.app.config import Config
    from alertmock.contract.document import Contract

__all__ = ["CorsPolicy", "normalised_origin", "vary_on_origin"]

ANY = "*"
# Headers every client of the mock may send, whatever the contract: content negotiation and the
# mock's own controls (the contract adds its API-key schemes and header parameters).
BASE_REQUEST_HEADERS = ("accept", "authorization", "content-type", "prefer", SESSION_HEADER)
# The engine adds `Allow` to every 405, for every vendor, whether or not the contract declares it;
# `alertmock proxy` reports contract violations in the other two (an app may log them).
ENGINE_RESPONSE_HEADERS = (
    "Allow",
    "Alertmock-Violations",
    "Alertmock-Violation",
    "Preference-Applied",
    "Alertmock-Preferences-Ignored",
)


def normalised_origin(origin: str) -> str:
    """An origin as browsers send it: lower case, no trailing slash (``HTTP://Localhost:3000/``)."""
    return origin.strip().rstrip("/").lower()


@dataclass(frozen=True)
class CorsPolicy:
    origins: tuple[str, ...]
    # None: whatever a preflight asks for is allowed (mirrored).
    request_headers: tuple[str, ...] | None
    exposed_headers: tuple[str, ...]

    @property
    def credentials(self) -> bool:
        return ANY not in self.origins

    @classmethod
    def from_config(cls, config: Config, contract: Contract) -> CorsPolicy:
        extra = config.cors_headers
        request_headers = (
            None
            if extra is None or ANY in extra
            else tuple(sorted({*BASE_REQUEST_HEADERS, *contract.request_headers(), *(h.lower() for h in extra)}))
        )
        exposed = {h.lower(): h for h in (*contract.response_headers(), *ENGINE_RESPONSE_HEADERS)}
        return cls(
            origins=tuple(o if o == ANY else normalised_origin(o) for o in config.cors_origins),
            request_headers=request_headers,
            exposed_headers=tuple(sorted(exposed.values())),
        )

    def middleware_options(self) -> dict[str, Any]:
        """Keyword arguments for Starlette's `CORSMiddleware`."""
        return {
            "allow_origins": list(self.origins),
            "allow_methods": [ANY],
            "allow_headers": [ANY] if self.request_headers is None else list(self.request_headers),
            "allow_credentials": self.credentials,
            "expose_headers": list(self.exposed_headers),
        }


def vary_on_origin(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Starlette's `headers["Vary"] = ", ".join([*headers.getlist("Vary"), "Origin"])`: the Vary
    values joined into the first Vary header's place, or a new one at the end; unchanged when the
    answer already varies on Origin (Starlette would list it twice)."""
    for name, _ in headers:
        if name.lower() == b"vary":
            break
    else:
        # Most answers: no Vary yet (one pass, no list built).
        headers.append((b"vary", b"Origin"))
        return headers
    varies = [value for name, value in headers if name.lower() == b"vary"]
    if any(token.strip().lower() == b"origin" for value in varies for token in value.split(b",")):
        return headers  # already varies on Origin (an answer `alertmock proxy` passes back, say)
    merged: list[tuple[bytes, bytes]] = []
    placed = False
    for name, value in headers:
        if name.lower() != b"vary":
            merged.append((name, value))
        elif not placed:
            merged.append((b"vary", b", ".join([*varies, b"Origin"])))
            placed = True
    return merged
