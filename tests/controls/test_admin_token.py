"""The control API's admin token: required when set, generated when listening beyond loopback."""

from __future__ import annotations

import pytest

from alertmock.app.config import Config
from alertmock.cli import build_parser, startup
from alertmock.controls.admin_token import ensure_admin_token, is_loopback
from tests.conftest import ClientFactory

TOKEN = "team-secret-token"
SCALINGO_DEMO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN],
    ids=["missing", "wrong", "longer", "shorter", "other-scheme", "no-scheme"],
)
def test_controls_refuse_a_missing_or_wrong_token_with_problem_details(
    client_factory: ClientFactory, authorization: str | None
) -> None:
    client = client_factory(admin_token=TOKEN)
    headers = {"Authorization": authorization} if authorization else {}
    for method, path, body in (
        ("GET", "/__mock/state", None),
        ("PUT", "/__mock/state", {"collections": {}}),
        ("PUT", "/__mock/faults", {"rules": [{"error": {"rate": 1, "status": 503}}]}),
        ("POST", "/__mock/reset", None),
        ("GET", "/__mock/requests", None),
    ):
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401 and response.json()["title"] == "Unauthorized"
    # Nothing was changed: the vendor routes still answer normally, unfaulted.
    assert client.get("/v1/apps/example-app/alerts", headers=SCALINGO_DEMO).status_code == 200


def test_the_right_token_opens_the_controls(client_factory: ClientFactory) -> None:
    client = client_factory(admin_token=TOKEN)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    rule = {"rules": [{"path": "/v1/apps/*", "error": {"rate": 1, "status": 503}}]}
    assert client.put("/__mock/faults", json=rule, headers=admin).status_code == 200
    assert client.get("/v1/apps/example-app/alerts", headers=SCALINGO_DEMO).status_code == 503
    assert client.get("/__mock/state", headers=admin).json()["collections"]


def test_health_needs_no_token_and_vendor_routes_ignore_it(client_factory: ClientFactory) -> None:
    client = client_factory(admin_token=TOKEN)
    assert client.get("/__mock/health").status_code == 200
    # A vendor route keeps its own auth: the admin token is neither needed nor accepted there.
    assert client.get("/v1/apps/example-app/alerts", headers=SCALINGO_DEMO).status_code == 200
    assert client.get("/v1/apps/example-app/alerts", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401


def test_without_a_token_the_controls_stay_open(client: object) -> None:
    assert client.get("/__mock/state").status_code == 200  # type: ignore[attr-defined]


def test_serving_beyond_loopback_generates_a_token_printed_once_in_the_banner(client_factory: ClientFactory) -> None:
    config, banner = startup(build_parser().parse_args(["serve", "--host", "0.0.0.0"]))
    assert config.admin_token and len(config.admin_token) >= 32
    assert banner.count(config.admin_token) == 1
    # And the app built from that config requires it.
    client = client_factory(admin_token=config.admin_token)
    assert client.post("/__mock/reset").status_code == 401
    assert client.post("/__mock/reset", headers={"Authorization": f"Bearer {config.admin_token}"}).status_code == 200
    # Each start draws a new one.
    assert startup(build_parser().parse_args(["serve", "--host", "0.0.0.0"]))[0].admin_token != config.admin_token


def test_a_given_token_is_kept_and_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERTMOCK_ADMIN_TOKEN", TOKEN)
    config, banner = startup(build_parser().parse_args(["serve", "--host", "0.0.0.0"]))
    assert config.admin_token == TOKEN and TOKEN not in banner and TOKEN not in repr(config)
    config, _ = startup(build_parser().parse_args(["serve", "--admin-token", "from-the-flag"]))
    assert config.admin_token == "from-the-flag"


def test_loopback_needs_no_token() -> None:
    config, banner = startup(build_parser().parse_args(["serve"]))
    assert config.admin_token is None and "Admin token" not in banner
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "mock.internal"):
        assert not is_loopback(host), host
        assert ensure_admin_token(Config(host=host))[1] is not None


def test_an_empty_token_is_refused_and_an_empty_variable_means_none() -> None:
    with pytest.raises(ValueError, match="admin-token"):
        Config(admin_token=" ")
    assert Config.from_env({"ALERTMOCK_ADMIN_TOKEN": ""}).admin_token is None
