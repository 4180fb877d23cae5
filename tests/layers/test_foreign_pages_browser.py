"""A page on another origin, in a real browser, against `serve` and `proxy` as users start them.

Headless Chromium opens a page served from another loopback port (another origin, as a web page
the developer happens to visit would be) and runs ``fetch`` against the mock's control API. On
defaults the page cannot read the journal, the state or the violations, and its simple
``text/plain`` writes change nothing; with its origin named in ``--cors-origins`` it can do both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from alertmock import Config, create_app
from alertmock.tools.verify.local_server import serve_in_thread
from tests import browsers
from tests.browsers import needs_chromium
from tests.servers import live_server

pytestmark = needs_chromium

READS = ("/__mock/requests", "/__mock/state", "/__mock/violations")
FETCH = """async ([url, init]) => {
    try {
        const answer = await fetch(url, init);
        return {read: true, status: answer.status, body: await answer.text()};
    } catch (error) {
        return {read: false, error: String(error)};
    }
}"""


@pytest.fixture(scope="module")
def page_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    html = "<!doctype html><title>some page</title><p>a page on another origin</p>"
    with browsers.page_origin(tmp_path_factory.mktemp("elsewhere"), html) as origin:
        yield origin


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve_in_thread(create_app(Config(seed=1))) as url:
        yield url


@pytest.fixture(scope="module")
def page(page_origin: str) -> Iterator[Any]:
    with browsers.open_page(page_origin) as tab:
        yield tab


def _started(kind: str, upstream: str, *flags: str) -> Any:
    return live_server("--quiet", *(("--upstream", upstream) if kind == "proxy" else ()), *flags, command=kind)


def _fetch(page: Any, url: str, **init: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FETCH, [url, init])
    return result


@pytest.mark.parametrize("kind", ["serve", "proxy"])
def test_a_foreign_page_cannot_read_the_control_api_on_defaults(page: Any, upstream: str, kind: str) -> None:
    with _started(kind, upstream) as mock:
        # Something worth stealing: a request with a credential, in the default session.
        httpx.get(f"{mock.url}/api/subscriptions", headers={"Authorization": "Bearer matatika-demo-token"})
        for path in READS:
            result = _fetch(page, mock.url + path)
            assert result == {"read": False, "error": "TypeError: Failed to fetch"}, (kind, path, result)
        # Not the vendors' routes: a frontend under development calls them from anywhere.
        vendor = _fetch(page, f"{mock.url}/api/subscriptions", headers={"Authorization": "Bearer matatika-demo-token"})
        assert vendor["read"] and vendor["status"] == 200, vendor


@pytest.mark.parametrize("kind", ["serve", "proxy"])
def test_a_named_origin_can_read_the_control_api(page: Any, page_origin: str, upstream: str, kind: str) -> None:
    with _started(kind, upstream, "--cors-origins", page_origin) as mock:
        httpx.get(f"{mock.url}/api/subscriptions", headers={"Authorization": "Bearer matatika-demo-token"})
        for path in READS:
            result = _fetch(page, mock.url + path)
            assert result["read"] and result["status"] == 200, (kind, path, result)
        journal = _fetch(page, mock.url + "/__mock/requests")["body"]
        assert "/api/subscriptions" in journal and "matatika-demo-token" not in journal


def test_a_foreign_pages_simple_writes_change_nothing(page: Any, page_origin: str, upstream: str) -> None:
    seed = '{"kind": "matatika.subscriptions", "count": 9}'
    fault = '{"rules": [{"error": {"rate": 1, "status": 503}}]}'
    writes = [("POST", "/__mock/seed", seed), ("PUT", "/__mock/faults", fault), ("POST", "/__mock/reset", "")]

    def snapshot(url: str) -> tuple[Any, Any]:
        state = httpx.get(f"{url}/__mock/state").json()["collections"]
        return {kind: len(records) for kind, records in state.items()}, httpx.get(f"{url}/__mock/faults").json()

    with _started("serve", upstream) as mock:
        httpx.post(f"{mock.url}/__mock/seed", json={"kind": "matatika.subscriptions", "count": 2})
        before = snapshot(mock.url)
        for method, path, body in writes:
            # fetch() with a string body: text/plain. A POST is a "simple request": sent without a
            # preflight, so only the server can refuse its effect. A PUT's preflight is refused.
            result = _fetch(page, mock.url + path, method=method, body=body)
            assert result == {"read": False, "error": "TypeError: Failed to fetch"}, (path, result)
        assert snapshot(mock.url) == before
    with _started("serve", upstream, "--cors-origins", page_origin) as mock:
        before = snapshot(mock.url)
        result = _fetch(page, mock.url + "/__mock/seed", method="POST", body=seed)
        assert result["status"] == 201, result
        assert snapshot(mock.url)[0]["matatika.subscriptions"] == before[0]["matatika.subscriptions"] + 9
