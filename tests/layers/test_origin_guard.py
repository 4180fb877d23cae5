"""The control API answers its owner only: no write from a foreign page (CSRF), no re-bound Host.

In-process clients whose connection "arrives" on 127.0.0.1 (the scope's ``server``, as uvicorn
sets it), so the app sees what it sees on a developer's loopback; `tests/layers/test_foreign_pages_browser.py`
does the same from a real browser against a real server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app
from tests.conftest import TEST_CLOCK
from tests.servers import live_server

LOOPBACK = "http://127.0.0.1:4010"
APP = "http://localhost:3000"
EVIL = "https://evil.example"
SEED = b'{"kind": "matatika.subscriptions", "count": 9}'
FAULT = b'{"rules": [{"error": {"rate": 1, "status": 503}}]}'
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
SUBSCRIPTIONS = "/api/workspaces/bc81388a-a4c8-4b1a-a1b3-4e8a2a8b0c1d/subscriptions"

Factory = Callable[..., TestClient]


@pytest.fixture
def mock() -> Iterator[Factory]:
    clients: list[TestClient] = []

    def build(base_url: str = LOOPBACK, **overrides: Any) -> TestClient:
        config = Config(clock=TEST_CLOCK, seed=1, **overrides)
        client = TestClient(create_app(config), base_url=base_url, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


def _state(client: TestClient) -> dict[str, int]:
    return {kind: len(records) for kind, records in client.get("/__mock/state").json()["collections"].items()}


def _faults(client: TestClient) -> list[Any]:
    return list(client.get("/__mock/faults").json()["rules"])


# The three writes of the issue, as a page's fetch() sends them: a text/plain body needs no preflight.
WRITES = [("POST", "/__mock/seed", SEED), ("PUT", "/__mock/faults", FAULT), ("POST", "/__mock/reset", b"")]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_simple_cross_origin_write_is_refused_and_changes_nothing(mock: Factory, method, path, body) -> None:  # type: ignore[no-untyped-def]
    client = mock()
    client.post("/__mock/seed", content=b'{"kind": "matatika.subscriptions", "count": 2}')  # so a reset shows
    before, faults = _state(client), _faults(client)
    for origin in (EVIL, APP):  # not named: `*` (the default) names no one
        refused = client.request(method, path, content=body, headers={"Origin": origin, "Content-Type": "text/plain"})
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert "--cors-origins" in refused.json()["detail"]
        assert "access-control-allow-origin" not in refused.headers
    assert (_state(client), _faults(client)) == (before, faults)


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_the_same_write_from_a_named_origin_or_without_origin_works(mock: Factory, method, path, body) -> None:  # type: ignore[no-untyped-def]
    named = mock(cors_origins=(APP, "*"))
    answer = named.request(method, path, content=body, headers={"Origin": APP, "Content-Type": "text/plain"})
    assert answer.status_code < 300, answer.text
    assert answer.headers["access-control-allow-origin"] == APP
    curl = mock()  # no Origin at all: curl, tests, the CLI
    assert curl.request(method, path, content=body, headers={"Content-Type": "text/plain"}).status_code < 300


def test_the_seed_from_a_foreign_page_does_not_reach_the_session(mock: Factory) -> None:
    client = mock()
    before = _state(client)["matatika.subscriptions"]
    client.post("/__mock/seed", content=SEED, headers={"Origin": APP, "Content-Type": "text/plain"})
    assert _state(client)["matatika.subscriptions"] == before
    client.post("/__mock/seed", content=SEED, headers={"Content-Type": "text/plain"})
    assert _state(client)["matatika.subscriptions"] == before + 9


def test_the_mocks_own_pages_may_write(mock: Factory) -> None:
    # The dashboard and the control API's Swagger UI are served by the mock: same origin.
    client = mock()
    assert client.post("/__mock/reset", headers={"Origin": LOOPBACK}).status_code == 200
    via_name = mock("http://localhost:4010")
    assert via_name.post("/__mock/reset", headers={"Origin": "http://localhost:4010"}).status_code == 200
    # Same host, another port: another origin.
    assert client.post("/__mock/reset", headers={"Origin": "http://127.0.0.1:4011"}).status_code == 403


def test_an_opaque_origin_is_foreign(mock: Factory) -> None:
    # A sandboxed frame or a data: URL sends "Origin: null".
    assert mock().post("/__mock/reset", headers={"Origin": "null"}).status_code == 403


def test_a_cross_site_fetch_without_origin_is_refused(mock: Factory) -> None:
    client = mock()
    assert client.put("/__mock/faults", content=FAULT, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert _faults(client) == []
    assert client.put("/__mock/faults", content=FAULT, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_vendor_routes_still_take_writes_from_any_page(mock: Factory) -> None:
    # A frontend under development calls the vendors' API from wherever it is served.
    client = mock()
    answer = client.post(
        "/v1/tokens/exchange", headers={"Origin": EVIL, "Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/__mock/requests", "/__mock/state", "/__mock/violations", "/__mock/faults"])
def test_control_reads_answer_named_origins_only(mock: Factory, path: str) -> None:
    refused = mock().get(path, headers={"Origin": EVIL})
    assert refused.status_code == 200  # answered (a read changes nothing), but the browser hides it
    assert "access-control-allow-origin" not in refused.headers
    named = mock(cors_origins=(APP,)).get(path, headers={"Origin": APP})
    assert named.headers["access-control-allow-origin"] == APP


def test_a_rebound_host_is_refused_on_loopback(mock: Factory) -> None:
    client = mock()
    for path, headers in (("/__mock/requests", {}), (SUBSCRIPTIONS, MATATIKA), ("/__mock/", {})):
        refused = client.get(path, headers={**headers, "Host": "evil.example:4010"})
        assert refused.status_code == 403, path
        problem = refused.json()
        assert problem["type"] == "urn:alertmock:host-not-allowed"
        assert "--allowed-hosts evil.example" in problem["detail"]


@pytest.mark.parametrize(
    "host", ["localhost:4010", "127.0.0.1:4010", "[::1]:4010", "app.localhost:4010", "localhost", "localhost.:4010"]
)
def test_loopback_names_are_served(mock: Factory, host: str) -> None:
    assert mock().get("/__mock/health", headers={"Host": host}).status_code == 200


def test_allowed_hosts_adds_names(mock: Factory) -> None:
    client = mock(allowed_hosts=("mock", ".internal.example"))
    for host in ("mock:4010", "a.internal.example", "internal.example", "localhost"):
        assert client.get("/__mock/health", headers={"Host": host}).status_code == 200, host
    assert client.get("/__mock/health", headers={"Host": "evil.example"}).status_code == 403
    anything = mock(allowed_hosts=("*",))
    assert anything.get("/__mock/health", headers={"Host": "evil.example"}).status_code == 200


def test_beyond_loopback_the_host_is_checked_only_when_names_are_given(mock: Factory) -> None:
    # Reached on a LAN address (--host 0.0.0.0): the admin token guards the controls, names vary.
    assert mock("http://10.1.2.3:4010").get("/__mock/health", headers={"Host": "mock.lan"}).status_code == 200
    named = mock("http://10.1.2.3:4010", allowed_hosts=("mock.lan",))
    assert named.get("/__mock/health", headers={"Host": "mock.lan"}).status_code == 200
    assert named.get("/__mock/health", headers={"Host": "evil.example"}).status_code == 403


def test_a_real_server_on_loopback_refuses_a_rebound_host() -> None:
    import httpx

    with live_server("--quiet", "--allowed-hosts", "mock") as server:
        port = server.url.rsplit(":", 1)[1]
        refused = httpx.get(f"{server.url}/__mock/requests", headers={"Host": f"evil.example:{port}"})
        assert refused.status_code == 403
        assert "--allowed-hosts" in refused.json()["detail"]
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"mock:{port}"):
            assert httpx.get(f"{server.url}/__mock/requests", headers={"Host": host}).status_code == 200, host


def test_the_mocks_own_page_behind_a_tls_terminating_ingress_may_write(mock: Factory) -> None:
    # The page is https://mock.example, the connection plain http: the browser's Sec-Fetch-Site
    # (which no page can set) says it is the mock's own page.
    headers = {"Origin": "https://localhost", "Sec-Fetch-Site": "same-origin"}
    assert mock("http://localhost").post("/__mock/reset", headers=headers).status_code == 200


def test_a_named_origin_is_matched_as_browsers_send_it(mock: Factory) -> None:
    # --cors-origins written with a trailing slash or capitals still names the page's origin.
    client = mock(cors_origins=("HTTP://Localhost:3000/",))
    assert client.post("/__mock/reset", headers={"Origin": APP}).status_code == 200
    assert client.get("/__mock/requests", headers={"Origin": APP}).headers["access-control-allow-origin"] == APP
    vendor = client.get(SUBSCRIPTIONS, headers={**MATATIKA, "Origin": APP})
    assert vendor.headers["access-control-allow-origin"] == APP


def test_a_deeply_nested_body_leaves_the_journal_readable(mock: Factory) -> None:
    # Any page may post to a vendor path; a body nested a thousand levels with a secret field name
    # in it must not break the journal that redacts it.
    client = mock()
    body = '{"token": "x", "a": ' + "[" * 1000 + "]" * 1000 + "}"
    client.post("/nowhere", content=body, headers={"Content-Type": "application/json"})
    journal = client.get("/__mock/requests?limit=1")
    assert journal.status_code == 200
    assert "x" not in journal.json()["requests"][0]["body"].split('"token"')[1][:8]
