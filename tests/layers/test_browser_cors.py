"""A browser app on another origin, as a frontend team runs one: headless Chromium against `alertmock serve`.

The page is served from a second loopback port (another origin, so CORS applies as in real life);
the mock names it in ``--cors-origins``. Each test runs ``fetch`` in the page and reads what the
page's own code would see.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests import browsers
from tests.browsers import needs_chromium
from tests.servers import LiveServer, live_server

pytestmark = needs_chromium

MATATIKA = "Bearer matatika-demo-token"
JOB = "/api/jobs/4e2a1b36-5bd1-4bbd-8f21-8f3c1a2b7d10"


@pytest.fixture(scope="module")
def page_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    html = "<!doctype html><title>app</title><p>frontend under development</p>"
    with browsers.page_origin(tmp_path_factory.mktemp("app"), html) as origin:
        yield origin


@pytest.fixture(scope="module")
def mock(page_origin: str) -> Iterator[LiveServer]:
    with live_server("--cors-origins", page_origin, "--quiet", "--max-body-bytes", "100000") as server:
        yield server


@pytest.fixture(scope="module")
def page(page_origin: str, mock: LiveServer) -> Iterator[Any]:
    with browsers.open_page(page_origin) as tab:
        yield tab


@pytest.fixture(autouse=True)
def fresh_mock(mock: LiveServer) -> None:
    httpx.post(f"{mock.url}/__mock/reset")
    httpx.post(f"{mock.url}/__mock/reset", headers={"X-Mock-Session": "browser"})


# Runs in the page: fetch, then report what the app's code can read (or the error it gets).
FETCH = """async ([url, init, wanted]) => {
    try {
        const response = await fetch(url, init);
        const headers = {};
        for (const name of wanted) headers[name] = response.headers.get(name);
        return {status: response.status, headers, body: await response.text()};
    } catch (error) {
        return {error: String(error)};
    }
}"""


def fetch(page: Any, url: str, init: dict[str, Any] | None = None, read: tuple[str, ...] = ()) -> dict[str, Any]:
    return page.evaluate(FETCH, [url, init or {}, list(read)])  # type: ignore[no-any-return]


def test_an_injected_503_is_readable(page: Any, mock: LiveServer) -> None:
    rules = {"rules": [{"path": "/api/jobs/*", "error": {"rate": 1, "status": 503}}]}
    assert httpx.put(f"{mock.url}/__mock/faults", json=rules).status_code == 200
    got = fetch(page, mock.url + JOB, {"headers": {"Authorization": MATATIKA}})
    assert got["status"] == 503, got
    assert "Fault injected" in got["body"]


def test_a_413_is_readable(page: Any, mock: LiveServer) -> None:
    body = '{"name": "' + "x" * 200_000 + '"}'
    init = {"method": "POST", "headers": {"Authorization": MATATIKA, "Content-Type": "application/json"}, "body": body}
    got = fetch(page, f"{mock.url}/api/subscriptions", init)
    assert got.get("status") == 413, got


def test_credentials_include_works_with_an_explicit_origin(page: Any, mock: LiveServer) -> None:
    # A cookie of the page's host goes to the mock on another port: its session is the cookie's.
    page.evaluate("document.cookie = 'X-Mock-Session=browser; path=/'")
    init = {"credentials": "include", "headers": {"Authorization": MATATIKA}}
    got = fetch(page, f"{mock.url}/api/subscriptions", init)
    page.evaluate("document.cookie = 'X-Mock-Session=; max-age=0; path=/'")
    assert got.get("status") == 200, got
    journal = httpx.get(f"{mock.url}/__mock/requests", params={"session": "browser"}).json()["requests"]
    assert [e["path"] for e in journal] == ["/api/subscriptions"]


def test_a_custom_request_header_is_allowed(page: Any, mock: LiveServer) -> None:
    headers = {
        "Authorization": MATATIKA,
        "X-Request-Id": "req-1",
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    }
    got = fetch(page, f"{mock.url}/api/subscriptions", {"headers": headers})
    assert got.get("status") == 200, got
    sent = httpx.get(f"{mock.url}/__mock/requests", params={"limit": 1}).json()["requests"][0]["headers"]
    assert sent["x-request-id"] == "req-1"


def test_www_authenticate_is_readable_on_a_401(page: Any, mock: LiveServer) -> None:
    got = fetch(page, f"{mock.url}/api/subscriptions", read=("WWW-Authenticate",))
    assert got.get("status") == 401, got
    assert got["headers"]["WWW-Authenticate"].startswith("Bearer")


def test_a_dropped_connection_is_a_network_error(page: Any, mock: LiveServer) -> None:
    assert httpx.put(f"{mock.url}/__mock/faults", json={"rules": [{"drop": {"rate": 1}}]}).status_code == 200
    got = fetch(page, f"{mock.url}/api/subscriptions", {"headers": {"Authorization": MATATIKA}})
    assert got == {"error": "TypeError: Failed to fetch"}
