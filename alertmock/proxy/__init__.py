"""``alertmock proxy``: the contract between an app and the real services, checked on every exchange.

`create_proxy_app` builds it: the engine's layers and control API (sessions, faults, CORS, the
journal) in front of a layer that forwards each request to the vendor's upstream and checks both
halves of the exchange with the engine's own routing and validators (`checks`). Findings
(`findings`) are reported on the response, kept in a bounded log (`ledger`) for
``GET /__mock/violations``, and summed up per operation on exit (`report`).
"""

from alertmock.proxy.app import create_proxy_app
from alertmock.proxy.forwarding import Upstreams
from alertmock.proxy.middleware import ProxySettings

__all__ = ["ProxySettings", "Upstreams", "create_proxy_app"]
