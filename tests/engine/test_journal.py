"""The request journal read back through GET /__mock/requests: answers recorded, paged and filtered."""

from __future__ import annotations

import json

from .conftest import KEY


def _journal(client, query: str = "", **headers: str) -> list[dict]:  # type: ignore[no-untyped-def]
    response = client.get(f"/__mock/requests{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["requests"]


def test_an_entry_keeps_the_answer_and_the_operation_that_gave_it(widgets) -> None:
    created = widgets.post("/w/items", json={"item": {"name": "kept"}}, headers=KEY)
    entry = _journal(widgets)[-1]
    assert entry["status"] == 201
    assert entry["operation_id"] == "tests.engine.app.handlers.create_item"
    assert entry["vendor"] == "widgets"
    assert entry["fault"] is None
    assert json.loads(entry["response"]["body"]) == created.json()
    assert entry["response"]["headers"]["content-type"] == "application/json"


def test_an_error_answer_is_recorded_with_its_vendor_body(widgets) -> None:
    widgets.get("/w/items/missing", headers=KEY)
    entry = _journal(widgets)[-1]
    assert entry["status"] == 404
    assert json.loads(entry["response"]["body"])["widget_error"] == "no item missing"


def test_a_path_outside_the_contract_names_the_vendor_but_no_operation(widgets) -> None:
    widgets.get("/w/nowhere", headers=KEY)
    entry = _journal(widgets)[-1]
    assert (entry["status"], entry["operation_id"], entry["vendor"]) == (404, None, "widgets")


def test_injected_faults_are_marked(widgets) -> None:
    widgets.put("/__mock/faults", json={"rules": [{"path": "/w/items/*", "error": {"rate": 1, "status": 503}}]})
    widgets.get("/w/items/w1", headers=KEY)
    entry = _journal(widgets)[-1]
    assert (entry["status"], entry["fault"]) == (503, "error")
    assert "Fault injected" in entry["response"]["body"]
    widgets.put("/__mock/faults", json={"rules": [{"drop": {"rate": 1}}]})
    widgets.get("/w/items", headers=KEY)
    assert _journal(widgets)[-1]["fault"] == "drop"


def test_a_long_answer_is_cut_like_a_long_request(widgets) -> None:
    from alertmock.state.journal import MAX_BODY_CHARS

    widgets.post("/w/items", json={"item": {"name": "x" * (MAX_BODY_CHARS + 10)}}, headers=KEY)
    widgets.get("/w/items", headers=KEY)
    body = _journal(widgets)[-1]["response"]["body"]
    assert len(body) == MAX_BODY_CHARS + 1
    assert body.endswith("…")


def test_status_filters_by_code_class_or_list(widgets) -> None:
    widgets.get("/w/items", headers=KEY)  # 200
    widgets.get("/w/items/missing", headers=KEY)  # 404
    widgets.get("/w/items")  # 401
    assert [e["status"] for e in _journal(widgets, "?status=404")] == [404]
    assert [e["status"] for e in _journal(widgets, "?status=4xx")] == [404, 401]
    assert [e["status"] for e in _journal(widgets, "?status=200,401")] == [200, 401]
    assert _journal(widgets, "?status=5xx") == []


def test_limit_keeps_the_newest_and_since_pages_forward(widgets) -> None:
    for index in range(5):
        widgets.get(f"/w/items/missing-{index}", headers=KEY)
    everything = _journal(widgets)
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids)
    assert [e["path"] for e in _journal(widgets, "?limit=2")] == ["/w/items/missing-3", "/w/items/missing-4"]
    first_page = _journal(widgets, f"?since={ids[0]}&limit=2")
    assert [e["id"] for e in first_page] == ids[1:3]
    second_page = _journal(widgets, f"?since={first_page[-1]['id']}&limit=2")
    assert [e["id"] for e in second_page] == ids[3:5]
    assert _journal(widgets, f"?since={ids[-1]}") == []


def test_after_takes_an_instant(widgets_factory) -> None:
    client = widgets_factory(clock="2026-06-10T07:08:13Z")
    client.get("/w/items", headers=KEY)
    client.post("/__mock/clock", json={"advance_seconds": 60})
    client.get("/w/items/w1", headers=KEY)
    later = _journal(client, "?after=2026-06-10T07:08:30Z")
    assert [e["path"] for e in later] == ["/w/items/w1"]
    assert len(_journal(client, "?after=2026-06-10T07:00:00Z")) == 2


def test_session_reads_another_sessions_entries_or_all(widgets) -> None:
    widgets.get("/w/items", headers={**KEY, "X-Mock-Session": "alice"})
    widgets.get("/w/items/w1", headers={**KEY, "X-Mock-Session": "bob"})
    assert _journal(widgets) == []
    assert [e["session"] for e in _journal(widgets, "?session=bob")] == ["bob"]
    assert [e["session"] for e in _journal(widgets, "?session=*")] == ["alice", "bob"]


def test_bad_filters_are_400_problems(widgets) -> None:
    for query in ("?status=teapot", "?status=6xx", "?since=yesterday", "?after=yesterday", "?limit=0", "?limit=many"):
        response = widgets.get(f"/__mock/requests{query}")
        assert response.status_code == 400, query
        assert response.json()["status"] == 400
