"""The mock answers its owner's browser only: a Host check against DNS rebinding, and no control-API
write from a page on a foreign origin (CSRF).

A developer's mock listens on loopback, and any page open in their browser can send it requests.
CORS only hides the answer from such a page, not the effect, and a ``text/plain`` POST needs no
preflight: so a write to the control API (``POST /__mock/seed``, ``PUT /__mock/faults``, ...)
whose ``Origin`` is neither the mock's own nor named in ``--cors-origins`` (or, without an
``Origin``, whose ``Sec-Fetch-Site`` is ``cross-site``) is refused here with a 403, before
anything runs. Clients that send no ``Origin`` (curl, tests, the CLI, server-side code) are
unaffected.

A page whose name was re-bound to 127.0.0.1 would be "same-origin" with the mock, so on a
connection that arrived on a loopback address the ``Host`` must be a loopback name
(``localhost``, ``*.localhost``) or an IP literal, or a name ``--allowed-hosts`` adds (as Vite's
``server.allowedHosts``, CVE-2025-24010). Beyond loopback (``--host 0.0.0.0`` reached over a
network) the names a mock is reached by cannot be guessed (a compose service, an ingress), and
the admin token protects the control API; there the Host is checked only if ``--allowed-hosts``
is given. ``--allowed-hosts '*'`` turns the check off.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import orjson
from starlette.responses import Response
from starlette.types import Scope

from alertmock.bounded_cache import BoundedCache
from alertmock.controls.admin_token import is_loopback
from alertmock.layers.cors import normalised_origin
from alertmock.layers.engine import is_control

if TYPE_CHECKING:
    from alertmock.app.config import Config

__all__ = ["OriginGuard"]

_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class OriginGuard:
    def __init__(self, *, allowed_hosts: tuple[str, ...] = (), cors_origins: tuple[str, ...] = ()) -> None:
        names = [h.strip().lower() for h in allowed_hosts if h.strip()]
        self.any_host = "*" in names
        self.everywhere = bool(names) and not self.any_host
        self.names = frozenset(n for n in names if not n.startswith("."))
        self.suffixes = tuple(n for n in names if n.startswith("."))
        self.origins = frozenset(normalised_origin(o) for o in cors_origins if o != "*")
        # Bounded against a client's variety of Host headers.
        self._hosts: BoundedCache[tuple[str | None, bytes], bool] = BoundedCache(256)

    @classmethod
    def from_config(cls, config: Config) -> OriginGuard:
        return cls(allowed_hosts=config.allowed_hosts, cors_origins=config.cors_origins)

    def refusal(self, scope: Scope) -> Response | None:
        """The 403 problem that answers `scope` instead of the app, or None to serve it."""
        # Every request pays for this: the Host is read first (clients send it first, so one look
        # usually finds it), and the other headers only for a control-API write.
        headers = scope["headers"]
        if headers and headers[0][0] == b"host":
            host: bytes | None = headers[0][1]
        else:
            host = next((value for name, value in headers if name == b"host"), None)
        if host is not None and not self.any_host:
            server = scope.get("server")
            # Per (address the connection arrived on, Host): a handful of pairs in practice.
            key = (server[0] if server else None, host)
            allowed = self._hosts.get(key)
            if allowed is None:
                allowed = self._hosts.put(key, self._host_served(key[0], host))
            if not allowed:
                name = _hostname(host.decode("latin-1"))
                return _problem(
                    "urn:alertmock:host-not-allowed",
                    "Host not allowed",
                    f"Host {host.decode('latin-1')!r} is not a name this mock serves (a guard against DNS "
                    f"rebinding): loopback names and IP literals are; start it with --allowed-hosts {name} "
                    "to serve this one too",
                )
        if scope["method"] in _SAFE_METHODS or not is_control(scope["path"]):
            return None
        origin = fetch_site = None
        for name, value in headers:
            if name == b"origin":
                origin = value
            elif name == b"sec-fetch-site":
                fetch_site = value
        if fetch_site == b"same-origin":
            # Set by the browser, which no page can forge: the mock's own dashboard, also behind an
            # ingress that terminates TLS (the Origin says https, the connection http).
            return None
        if origin is not None:
            text = normalised_origin(origin.decode("latin-1"))
            if text in self.origins or (host is not None and _same_origin(scope, host, text)):
                return None
            return _problem(
                "urn:alertmock:foreign-origin",
                "Foreign origin",
                f"A page on {text} may not change the mock: control API writes come only from the mock's own "
                f"pages and origins named in --cors-origins (start it with --cors-origins {text} to allow it)",
            )
        if fetch_site == b"cross-site":
            return _problem(
                "urn:alertmock:foreign-origin",
                "Foreign origin",
                "A cross-site request may not change the mock: control API writes come only from the mock's own "
                "pages, origins named in --cors-origins, and clients that are not browsers",
            )
        return None

    def _host_served(self, address: str | None, host: bytes) -> bool:
        if not self.everywhere and (address is None or not is_loopback(str(address))):
            return True  # beyond loopback, only checked when --allowed-hosts names hosts
        return self._host_allowed(_hostname(host.decode("latin-1")))

    def _host_allowed(self, name: str) -> bool:
        if name == "localhost" or name.endswith(".localhost") or name in self.names:
            return True
        if any(name.endswith(suffix) or name == suffix[1:] for suffix in self.suffixes):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True


def _hostname(host: str) -> str:
    """The name of a Host header, without its port (``[::1]:4010`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    name = host.rpartition(":")[0] if host.count(":") == 1 else host
    return name.rstrip(".")  # "localhost." is localhost


def _same_origin(scope: Scope, host: bytes, origin: str) -> bool:
    scheme = scope.get("scheme", "http")
    try:
        own = urlsplit(f"{scheme}://{host.decode('latin-1').lower()}")
        theirs = urlsplit(origin)
        return (own.scheme, own.hostname, own.port or _DEFAULT_PORTS.get(own.scheme)) == (
            theirs.scheme,
            theirs.hostname,
            theirs.port or _DEFAULT_PORTS.get(theirs.scheme),
        )
    except ValueError:  # a port that is not a number
        return False


def _problem(type_: str, title: str, detail: str) -> Response:
    body = orjson.dumps({"type": type_, "title": title, "status": 403, "detail": detail})
    return Response(body, status_code=403, media_type="application/problem+json")
