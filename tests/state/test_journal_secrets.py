"""`--journal-secrets show`: the explicit opt-in that keeps credentials in clear, with a warning."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.app.config import ConfigError
from alertmock.cli import build_parser, startup
from alertmock.contract.redaction import fingerprint
from tests.servers import live_server

BEARER = {"Authorization": "Bearer matatika-demo-token"}


def _sent_authorization(config: Config) -> str:
    with TestClient(create_app(config)) as client:
        client.get("/api/subscriptions", headers=BEARER)
        return str(client.get("/__mock/requests").json()["requests"][-1]["headers"]["authorization"])


def test_redacted_by_default_shown_on_request() -> None:
    assert _sent_authorization(Config(seed=1)) == "Bearer " + fingerprint("matatika-demo-token")
    assert _sent_authorization(Config(seed=1, journal_secrets="show")) == "Bearer matatika-demo-token"


def test_the_banner_warns_when_they_are_shown() -> None:
    _, banner = startup(build_parser().parse_args(["serve", "--journal-secrets", "show"]))
    assert "WARNING: --journal-secrets show" in banner
    _, default = startup(build_parser().parse_args(["serve"]))
    assert "WARNING" not in default


def test_the_proxy_warns_too() -> None:
    with live_server(
        "--quiet", "--upstream", "http://127.0.0.1:9", "--journal-secrets", "show", command="proxy"
    ) as proxy:
        pass
    assert "WARNING: --journal-secrets show" in proxy.printed


def test_from_the_environment_and_checked() -> None:
    config = Config.from_env(
        {"ALERTMOCK_JOURNAL_SECRETS": "show", "ALERTMOCK_ALLOWED_HOSTS": "mock, host.docker.internal"}
    )
    assert (config.journal_secrets, config.allowed_hosts) == ("show", ("mock", "host.docker.internal"))
    with pytest.raises(ConfigError, match="--journal-secrets"):
        Config(journal_secrets="clear")
