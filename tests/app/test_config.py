from __future__ import annotations

from pathlib import Path

import pytest

from alertmock.app.config import DEFAULT_PORT, Config
from alertmock.cli import build_parser, config_from_args


def test_defaults_serve_the_repository_contract_on_4010() -> None:
    config = Config()
    assert (config.host, config.port) == ("127.0.0.1", DEFAULT_PORT)
    assert config.spec.name == "openapi.yaml" and config.spec.exists()


def test_environment_overrides_defaults() -> None:
    config = Config.from_env(
        {
            "ALERTMOCK_PORT": "8080",
            "ALERTMOCK_CORS_ORIGINS": "http://a, http://b",
            "ALERTMOCK_VALIDATE_RESPONSES": "true",
            "ALERTMOCK_SPEC": "x.yaml",
        }
    )
    assert config.port == 8080
    assert config.cors_origins == ("http://a", "http://b")
    assert config.validate_responses is True
    assert config.spec == Path("x.yaml")


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERTMOCK_PORT", "8080")
    args = build_parser().parse_args(["serve", "--port", "9000", "--clock", "x10"])
    config = config_from_args(args)
    assert (config.port, config.clock) == (9000, "x10")


def test_nonsense_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError):
        Config(port=0)
    with pytest.raises(ValueError):
        Config(collection_cap=0)
