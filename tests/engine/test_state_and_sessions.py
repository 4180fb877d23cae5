from __future__ import annotations

from .conftest import KEY


def test_create_then_read_back_then_delete_then_404(widgets) -> None:
    created = widgets.post("/w/items", json={"item": {"name": "new"}}, headers=KEY).json()
    assert widgets.get(f"/w/items/{created['id']}", headers=KEY).json() == created
    assert widgets.delete(f"/w/items/{created['id']}", headers=KEY).status_code == 204
    assert widgets.get(f"/w/items/{created['id']}", headers=KEY).status_code == 404


def test_sessions_do_not_see_each_other(widgets) -> None:
    alice = {**KEY, "X-Mock-Session": "alice"}
    widgets.post("/w/items", json={"item": {"name": "alice's"}}, headers=alice)
    names = lambda headers: [i["name"] for i in widgets.get("/w/items", headers=headers).json()["items"]["item"]]  # noqa: E731
    assert "alice's" in names(alice)
    assert "alice's" not in names(KEY)
    assert "alice's" not in names({**KEY, "X-Mock-Session": "bob"})


def test_the_session_cookie_selects_a_session_too(widgets) -> None:
    widgets.post("/w/items", json={"item": {"name": "cookie"}}, headers={**KEY, "Cookie": "X-Mock-Session=c1"})
    listed = widgets.get("/w/items", headers={**KEY, "Cookie": "X-Mock-Session=c1"}).json()["items"]["item"]
    assert [i["name"] for i in listed][-1] == "cookie"


def test_same_seed_gives_the_same_ids(widgets_factory) -> None:
    first = widgets_factory(seed=42).post("/w/items", json={"item": {"name": "a"}}, headers=KEY).json()
    second = widgets_factory(seed=42).post("/w/items", json={"item": {"name": "a"}}, headers=KEY).json()
    assert first["id"] == second["id"]


def test_operation_without_handler_answers_its_example(widgets) -> None:
    response = widgets.get("/w/unbuilt")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert widgets.app.runtime.fallback_operations == ["tests.engine.app.not_written_yet.get_unbuilt"]


def test_cors_preflight_allows_the_headers_the_contract_names(widgets) -> None:
    response = widgets.options(
        "/w/items",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Key, X-Mock-Session, Prefer",
        },
    )
    assert response.status_code == 200
    assert "x-key" in response.headers["access-control-allow-headers"].lower()  # the contract's API-key header


def test_error_responses_carry_cors_headers(widgets) -> None:
    response = widgets.get("/w/items", headers={"Origin": "http://localhost:3000"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == "*"
