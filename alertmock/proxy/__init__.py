"""``alertmock proxy``: the contract between an app and the real services, checked on every exchange.

`create_proxy_app` builds it: the engine's layers and control API (sessions, faults, CORS, the
journal) in front of a layer that forwards each request to the vendor's upstream and checks both
halves of the exchange with the engine's own routing and validators (`checks`). Findings
(`findings`) are reported on the response, kept in a bounded log (`ledger`) for
``GET /__mock/violations``, and summed up per operation on exit (`report`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alertmock.proxy.app import create_proxy_app
    from alertmock.proxy.forwarding import Upstreams
    from alertmock.proxy.middleware import ProxySettings

__all__ = ["ProxySettings", "Upstreams", "create_proxy_app"]

# Imported on first use (PEP 562): `alertmock serve` reads the proxy's options to build its parser,
# and must not pay for the proxy's app and HTTP client (httpx) at every start.
_HOMES = {
    "create_proxy_app": "alertmock.proxy.app",
    "Upstreams": "alertmock.proxy.forwarding",
    "ProxySettings": "alertmock.proxy.middleware",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
