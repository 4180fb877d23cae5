"""CORS of the control API: writes only from origins named in --cors-origins, never `*`."""

from __future__ import annotations

from tests.conftest import ClientFactory

APP = "http://localhost:3000"
EVIL = "https://evil.example"
SCALINGO_DEMO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}


def preflight(client, path: str, origin: str, method: str):  # type: ignore[no-untyped-def]
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_by_default_no_page_may_write_to_the_controls(client_factory: ClientFactory) -> None:
    client = client_factory()  # --cors-origins * (the default)
    for method in ("PUT", "POST", "DELETE"):
        answer = preflight(client, "/__mock/faults", EVIL, method)
        assert "access-control-allow-origin" not in answer.headers, method
    write = client.post("/__mock/reset", headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in write.headers
    # Reading the controls and every vendor route still answer any origin, as before.
    assert client.get("/__mock/health", headers={"Origin": EVIL}).headers["access-control-allow-origin"] == "*"
    vendor = preflight(client, "/v1/apps/example-app/alerts", EVIL, "POST")
    assert vendor.headers["access-control-allow-origin"] == "*"


def test_a_named_origin_may_write_and_is_answered_by_name(client_factory: ClientFactory) -> None:
    client = client_factory(cors_origins=(APP, "*"))
    answer = preflight(client, "/__mock/state", APP, "PUT")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == APP
    assert "PUT" in answer.headers["access-control-allow-methods"]
    write = client.post("/__mock/reset", headers={"Origin": APP})
    assert (write.status_code, write.headers["access-control-allow-origin"]) == (200, APP)
    assert "access-control-allow-origin" not in preflight(client, "/__mock/state", EVIL, "PUT").headers


def test_only_named_origins_configured(client_factory: ClientFactory) -> None:
    client = client_factory(cors_origins=(APP,))
    assert preflight(client, "/__mock/faults", APP, "PUT").headers["access-control-allow-origin"] == APP
    assert "access-control-allow-origin" not in preflight(client, "/__mock/faults", EVIL, "PUT").headers
