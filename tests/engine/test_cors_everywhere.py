"""CORS on every answer a browser app can get: errors made by the engine itself included."""

from __future__ import annotations

import pytest

from .conftest import KEY

APP = "http://localhost:3000"
ORIGIN = {"Origin": APP}


def _preflight(client, headers: str, method: str = "GET"):  # type: ignore[no-untyped-def]
    return client.options(
        "/w/items",
        headers={**ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers},
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/w/items", {"headers": {**ORIGIN, "Prefer": "code=abc"}}, 400),  # Prefer parsed by the engine
        ("GET", "/w/items", {"headers": {**ORIGIN, **KEY, "Prefer": "code=999"}}, 400),  # undocumented code
        ("POST", "/w/items", {"headers": {**ORIGIN, **KEY}, "content": b"{" + b" " * 2_000_000 + b"}"}, 413),
        ("PATCH", "/w/items", {"headers": ORIGIN}, 405),
        ("GET", "/w/nowhere", {"headers": ORIGIN}, 404),
    ],
)
def test_engine_errors_carry_cors_headers(widgets, method, path, kwargs, status) -> None:  # type: ignore[no-untyped-def]
    response = widgets.request(method, path, **kwargs)
    assert response.status_code == status
    assert response.headers["access-control-allow-origin"] == "*"


def test_an_injected_fault_carries_cors_headers(widgets) -> None:
    widgets.put("/__mock/faults", json={"rules": [{"error": {"rate": 1, "status": 503}}]})
    response = widgets.get("/w/items", headers={**ORIGIN, **KEY})
    assert response.status_code == 503
    assert response.headers["access-control-allow-origin"] == "*"


def test_explicit_origins_may_send_credentials(widgets_factory) -> None:
    client = widgets_factory(cors_origins=(APP,))
    response = client.get("/w/items", headers={**ORIGIN, **KEY})
    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-allow-credentials"] == "true"
    preflight = _preflight(client, "X-Key")
    assert preflight.headers["access-control-allow-credentials"] == "true"
    other = client.get("/w/items", headers={"Origin": "http://evil.example", **KEY})
    assert "access-control-allow-origin" not in other.headers


def test_a_control_write_from_a_named_origin_carries_cors_headers_on_its_error(widgets_factory) -> None:
    client = widgets_factory(cors_origins=(APP,))
    response = client.put("/__mock/state", content=b"{", headers=ORIGIN)
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == APP


def test_a_control_read_from_a_named_origin_carries_cors_headers_on_its_error(widgets_factory) -> None:
    # The control API answers named origins only (its journal holds what apps sent); `*` is not one.
    response = widgets_factory(cors_origins=(APP,)).get("/__mock/requests?limit=0", headers=ORIGIN)
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == APP


def test_any_origin_sends_no_credentials_header(widgets) -> None:
    # With "*" a browser refuses credentials whatever the server says; saying nothing is honest.
    response = widgets.get("/w/items", headers={**ORIGIN, **KEY})
    assert "access-control-allow-credentials" not in response.headers


def test_preflight_allows_whatever_headers_the_app_adds(widgets) -> None:
    response = _preflight(widgets, "X-Request-Id, traceparent, Sentry-Trace")
    assert response.status_code == 200
    assert response.headers["access-control-allow-headers"].lower() == "x-request-id, traceparent, sentry-trace"


def test_cors_headers_limits_the_extra_headers_but_keeps_the_contracts(widgets_factory) -> None:
    client = widgets_factory(cors_headers=("X-Request-Id",))
    assert _preflight(client, "X-Request-Id, X-Key, Prefer, X-Mock-Session").status_code == 200
    refused = _preflight(client, "Sentry-Trace")
    assert refused.status_code == 400


def test_the_contracts_response_headers_are_readable(widgets) -> None:
    exposed = widgets.get("/w/items", headers=ORIGIN).headers["access-control-expose-headers"]
    assert {h.strip() for h in exposed.split(",")} >= {"Allow", "Location", "X-Widget-Count"}


def test_a_text_plain_body_is_sniffed_like_the_form_default(widgets) -> None:
    # fetch(url, {method: "POST", body: JSON.stringify(...)}) labels the body text/plain.
    response = widgets.post(
        "/w/items", content=b'{"item": {"name": "from fetch"}}', headers={**KEY, "Content-Type": "text/plain"}
    )
    assert response.status_code == 201
    assert response.json()["name"] == "from fetch"


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain", "application/xml"])
def test_the_control_api_reads_json_whatever_its_label(widgets, content_type) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = widgets.post("/__mock/clock", content=b'{"advance_seconds": 5}', headers=headers)
    assert response.status_code == 200, response.text
