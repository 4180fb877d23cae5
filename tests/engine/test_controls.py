"""The control API under /__mock, on the caller's session."""

from __future__ import annotations

import json

from .conftest import KEY


def _names(client, headers=KEY) -> list[str]:  # type: ignore[no-untyped-def]
    return [i["name"] for i in client.get("/w/items", headers=headers).json()["items"]["item"]]


def test_health(widgets) -> None:
    body = widgets.get("/__mock/health").json()
    assert body["status"] == "ok"
    assert body["fallback_operations"] == ["tests.engine.app.not_written_yet.get_unbuilt"]


def test_reset_goes_back_to_the_fixtures(widgets) -> None:
    widgets.post("/w/items", json={"item": {"name": "temp"}}, headers=KEY)
    widgets.delete("/w/items/w1", headers=KEY)
    assert widgets.post("/__mock/reset").json()["kinds"] == {"widgets.items": 2}
    assert _names(widgets) == ["first", "second"]


def test_export_then_import_round_trips_a_scenario(widgets_factory) -> None:
    a, b = widgets_factory(), widgets_factory()
    a.post("/w/items", json={"item": {"name": "saved"}}, headers=KEY)
    snapshot = a.get("/__mock/state").json()
    assert b.put("/__mock/state", json=snapshot).status_code == 200
    assert _names(b) == ["first", "second", "saved"]
    assert b.get("/__mock/state").json()["collections"] == snapshot["collections"]


def test_import_refuses_a_malformed_snapshot(widgets) -> None:
    assert widgets.put("/__mock/state", json={"collections": {"widgets.items": [{"no": "id"}]}}).status_code == 400


def test_journal_records_what_the_client_sent_and_got(widgets) -> None:
    widgets.post("/w/items", json={"item": {"name": "j"}}, headers={**KEY, "X-Trace": "t1"})
    widgets.get("/w/items/missing", headers=KEY)
    entries = widgets.get("/__mock/requests").json()["requests"]
    post, get = entries[-2], entries[-1]
    assert (post["method"], post["path"], post["status"]) == ("POST", "/w/items", 201)
    assert post["headers"]["x-trace"] == "t1"
    assert '"name": "j"' in post["body"] or '"name":"j"' in post["body"]
    assert (get["status"], get["path"]) == (404, "/w/items/missing")
    only_posts = widgets.get("/__mock/requests?method=post").json()["requests"]
    assert [e["method"] for e in only_posts] == ["POST"]
    assert widgets.get("/__mock/requests?path=/w/items/*").json()["requests"][0]["path"] == "/w/items/missing"


def test_journal_is_bounded_and_per_session(widgets_factory) -> None:
    client = widgets_factory(journal_size=5)
    for _ in range(8):
        client.get("/w/items", headers=KEY)
    client.get("/w/items", headers={**KEY, "X-Mock-Session": "other"})
    mine = client.get("/__mock/requests").json()["requests"]
    assert len(mine) == 4  # five kept in all, one of them the other session's
    assert client.delete("/__mock/requests").status_code == 204
    assert client.get("/__mock/requests").json()["requests"] == []
    assert len(client.get("/__mock/requests", headers={"X-Mock-Session": "other"}).json()["requests"]) == 1


def test_journal_keeps_bodies_within_its_byte_budget(widgets_factory) -> None:
    # Each entry keeps ~4 KB of bodies (the ~2 KB request and its echo) against a 9 KB budget: the
    # newest two fit, whatever --journal-size.
    client = widgets_factory(journal_size=100, journal_bytes=9_000)
    names = [f"{i}" * 2_000 for i in range(4)]
    for name in names:
        client.post("/w/items", json={"item": {"name": name}}, headers=KEY)
    kept = client.get("/__mock/requests").json()["requests"]
    assert [json.loads(e["body"])["item"]["name"] for e in kept] == names[-2:]
    # An entry larger than the whole budget is still kept: the newest always stays.
    client.post("/w/items", json={"item": {"name": "z" * 9_000}}, headers=KEY)
    assert len(client.get("/__mock/requests").json()["requests"]) == 1


def test_journal_counts_a_repeated_answer_once_so_polling_keeps_its_history(widgets_factory) -> None:
    # The list answers ~3 KB: ten polls of it, each kept, fit a 9 KB budget only because the journal
    # keeps equal answers as one body (copies, they held ten times that).
    client = widgets_factory(journal_size=100, journal_bytes=9_000)
    client.post("/w/items", json={"item": {"name": "p" * 3_000}}, headers=KEY)
    polls = [client.get("/w/items", headers=KEY).content for _ in range(10)]
    kept = client.get("/__mock/requests").json()["requests"]
    assert [(e["method"], e["response"]["body"].encode()) for e in kept][-10:] == [("GET", p) for p in polls]
    # A changed answer is a body of its own, shown as it was sent.
    client.post("/w/items", json={"item": {"name": "q" * 3_000}}, headers=KEY)
    changed = client.get("/w/items", headers=KEY).content
    assert changed != polls[-1]
    assert client.get("/__mock/requests").json()["requests"][-1]["response"]["body"].encode() == changed


def test_fault_error_rate_one_fails_every_matching_request_in_vendor_format(widgets) -> None:
    rules = {"rules": [{"method": "GET", "path": "/w/items/*", "error": {"rate": 1, "status": 503}}]}
    assert widgets.put("/__mock/faults", json=rules).status_code == 200
    failed = widgets.get("/w/items/w1", headers=KEY)
    assert failed.status_code == 503
    assert "Fault injected" in failed.json()["widget_error"]
    assert widgets.get("/w/items", headers=KEY).status_code == 200  # path does not match
    assert widgets.get("/w/items/w1", headers={**KEY, "X-Mock-Session": "calm"}).status_code == 200
    assert widgets.delete("/__mock/faults").status_code == 204
    assert widgets.get("/w/items/w1", headers=KEY).status_code == 200


def test_fault_latency_delays(widgets) -> None:
    widgets.put("/__mock/faults", json={"rules": [{"latency": {"fixed_ms": 100, "random_ms": [0, 50]}}]})
    widgets.get("/w/items", headers=KEY)
    assert widgets.get("/__mock/requests").json()["requests"][-1]["duration_ms"] >= 100


def test_fault_drop_cuts_the_response_short(widgets) -> None:
    # In process the cut shows as a body shorter than promised; over HTTP the server closes the socket.
    widgets.put("/__mock/faults", json={"rules": [{"drop": {"rate": 1}}]})
    response = widgets.get("/w/items", headers=KEY)
    assert len(response.content) < int(response.headers["content-length"])


def test_seed_generates_records_like_the_existing_ones(widgets) -> None:
    response = widgets.post("/__mock/seed", json={"kind": "widgets.items", "count": 50})
    assert response.status_code == 201
    assert response.json()["total"] == 52
    items = widgets.get("/w/items", headers=KEY).json()["items"]["item"]
    assert len({i["id"] for i in items}) == 52
    assert widgets.post("/__mock/seed", json={"kind": "nope.none", "count": 1}).status_code == 404


def test_the_clock_moves_on_request(widgets_factory) -> None:
    client = widgets_factory(clock="2026-06-10T07:08:13Z")
    assert client.get("/__mock/clock").json()["now"] == "2026-06-10T07:08:13Z"
    assert client.post("/__mock/clock", json={"advance_seconds": 60}).json()["now"] == "2026-06-10T07:09:13Z"


def test_the_control_api_has_its_own_page(widgets) -> None:
    assert widgets.get("/__mock/ui/").status_code == 200
    document = widgets.get("/__mock/openapi.json").json()
    assert "/seed" in document["paths"]
    assert document["servers"][0]["url"] == "/__mock"


def test_journal_shows_a_long_body_cut_to_its_limit(widgets) -> None:
    from alertmock.state.journal import MAX_BODY_CHARS

    name = "é" * (MAX_BODY_CHARS + 10)  # two bytes each in UTF-8: well past the limit in bytes too
    widgets.post("/w/items", json={"item": {"name": name}}, headers=KEY)
    body = widgets.get("/__mock/requests").json()["requests"][-1]["body"]
    assert len(body) == MAX_BODY_CHARS + 1
    assert body.endswith("…")
    assert body.startswith('{"item":{"name":"éé') or body.startswith('{"item": {"name": "éé')


def test_clearing_a_sessions_journal_gives_its_bytes_back_to_the_budget(widgets_factory) -> None:
    client = widgets_factory(journal_size=100, journal_bytes=9_000)
    mine, theirs = {**KEY, "X-Mock-Session": "mine"}, {**KEY, "X-Mock-Session": "theirs"}
    client.post("/w/items", json={"item": {"name": "m" * 3_500}}, headers=mine)  # ~7 KB kept
    assert client.delete("/__mock/requests", headers=mine).status_code == 204
    # Two entries of ~4 KB: both fit the budget the cleared session no longer uses.
    for name in ("a" * 2_000, "b" * 2_000):
        client.post("/w/items", json={"item": {"name": name}}, headers=theirs)
    assert len(client.get("/__mock/requests", headers=theirs).json()["requests"]) == 2
