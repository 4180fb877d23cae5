"""Prism-compatible response selection on an operation with a stateful handler."""

from __future__ import annotations

from .conftest import KEY


def test_prefer_code_answers_the_documented_response(widgets) -> None:
    response = widgets.get("/w/unbuilt", headers={"Prefer": "code=200"})
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_prefer_an_undocumented_code_is_400_naming_the_documented_ones(widgets) -> None:
    response = widgets.get("/w/items", headers={**KEY, "Prefer": "code=418"})
    assert response.status_code == 400
    assert "it can answer 200, 401" in response.json()["widget_error"]


def test_prefer_code_bypasses_the_stateful_handler_with_a_generated_body(widgets) -> None:
    # /w/items/{id} documents a 200 with a schema and no example: the body is generated from it.
    response = widgets.get("/w/items/does-not-exist", headers={**KEY, "Prefer": "code=200"})
    assert response.status_code == 200
    assert {"id", "name"} <= set(response.json())


def test_prefer_error_status_without_content_is_empty(widgets) -> None:
    response = widgets.get("/w/items/w1", headers={**KEY, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.content == b""


def test_prefer_example_by_name(widgets) -> None:
    assert widgets.get("/w/unbuilt", headers={"Prefer": "example=first"}).json() == {"ok": True}
    unknown = widgets.get("/w/unbuilt", headers={"Prefer": "example=nope"})
    assert unknown.status_code == 400
    assert "first" in unknown.json()["widget_error"]


def test_dynamic_with_a_seed_is_repeatable_and_keeps_the_wire_format(widgets) -> None:
    headers = {**KEY, "Prefer": "code=200, dynamic=true, seed=5", "Accept": "application/xml"}
    first = widgets.get("/w/items", headers=headers)
    second = widgets.get("/w/items", headers=headers)
    assert first.headers["content-type"] == "application/xml"
    assert first.text.startswith('<?xml version="1.0" encoding="UTF-8"?><response xmlns="urn:widgets">')
    assert first.content == second.content
    other = widgets.get("/w/items", headers={**headers, "Prefer": "dynamic=true, seed=6"})
    assert other.content != first.content


def test_query_parameters_work_for_clients_that_cannot_set_headers(widgets) -> None:
    response = widgets.get("/w/items?__code=200&__dynamic=true&__seed=1", headers=KEY)
    assert response.status_code == 200
    assert "item" in response.json()["items"]


def test_prefer_still_needs_credentials(widgets) -> None:
    assert widgets.get("/w/items", headers={"Prefer": "code=200"}).status_code == 401


def test_prefer_delay_delays(widgets) -> None:
    response = widgets.get("/w/items", headers={**KEY, "Prefer": "delay=150"})
    assert response.status_code == 200
    entry = widgets.get("/__mock/requests").json()["requests"][-1]
    assert entry["duration_ms"] >= 150


def test_a_malformed_preference_is_400(widgets) -> None:
    assert widgets.get("/w/items", headers={**KEY, "Prefer": "code=abc"}).status_code == 400
