"""An answer longer than the proxy holds streams through whole; only what its headers say is checked."""

from __future__ import annotations

import httpx

from alertmock import Config
from alertmock.proxy import ProxySettings, Upstreams, create_proxy_app
from alertmock.tools.verify.local_server import serve_in_thread
from tests.proxy.conftest import MATATIKA, SCALINGO


def test_a_long_answer_streams_through_with_its_status_still_checked(broken_upstream: str) -> None:
    settings = ProxySettings(Upstreams(default=broken_upstream), max_checked_bytes=64)
    with serve_in_thread(create_proxy_app(Config(seed=1), settings), lifespan="on") as proxy:
        # Its body has a wrong type, past the 64 bytes held: passed through whole, unjudged.
        direct = httpx.get(f"{broken_upstream}/v1/apps/example-app/alerts", headers=SCALINGO)
        proxied = httpx.get(f"{proxy}/v1/apps/example-app/alerts", headers=SCALINGO)
        assert len(direct.content) > 64
        assert proxied.content == direct.content
        assert "alertmock-violations" not in proxied.headers
        # An undocumented status is known from the headers alone.
        teapot = httpx.get(f"{proxy}/api/subscriptions", headers=MATATIKA)
        assert teapot.status_code == 418
        assert teapot.headers["alertmock-violation"].startswith("response.status 418: ")
