"""A body sent chunked (no Content-Length) through `alertmock proxy`: forwarded, and judged as the
same body with its length is, so no violation is reported and `--fail-on-violation` lets it by."""

from __future__ import annotations

import json
import uuid

import httpx

from tests.proxy.conftest import SCALINGO, start_proxy

ALERT = {"alert": {"container_type": "web", "metric": "cpu", "limit": 0.5}}


def _send_chunked(url: str, headers: dict[str, str], payload: bytes) -> httpx.Response:
    # An iterator of unknown length: httpx frames it chunked and sends no Content-Length.
    request = httpx.Request("POST", url, headers=headers, content=iter([payload] if payload else []))
    assert "content-length" not in request.headers and request.headers["transfer-encoding"] == "chunked"
    with httpx.Client() as client:
        return client.send(request)


def test_a_chunked_create_is_forwarded_without_a_violation(upstream: str) -> None:
    proxy = start_proxy("--upstream", upstream, "--fail-on-violation")
    try:
        headers = {**SCALINGO, "X-Mock-Session": f"proxy-{uuid.uuid4().hex[:8]}", "Content-Type": "application/json"}
        url = f"{proxy.url}/v1/apps/example-app/alerts"
        created = _send_chunked(url, headers, json.dumps(ALERT).encode())
        assert created.status_code == 201, created.text
        assert "alertmock-violations" not in created.headers
        # The upstream got the body: the alert is there, as sent.
        listed = httpx.get(f"{upstream}/v1/apps/example-app/alerts", headers=headers).json()
        assert created.json()["alert"]["id"] in [alert["id"] for alert in listed["alerts"]]
        assert created.json()["alert"]["limit"] == 0.5

        # An empty chunked body is still a violation of the request: the body is required.
        empty = _send_chunked(url, headers, b"")
        assert empty.status_code == 502
        assert [violation["kind"] for violation in empty.json()["violations"]][:1] == ["request.body"]
    finally:
        proxy.stop()
