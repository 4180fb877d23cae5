"""An app over the tiny "widgets" contract in tests/engine/app, so engine behaviour is tested on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app

APP_DIR = Path(__file__).parent / "app"
KEY = {"X-Key": "good-key"}


@pytest.fixture
def widgets_factory():  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        config = Config(spec=APP_DIR / "openapi.yaml", fixtures=APP_DIR / "fixtures", validate_responses=True, seed=7)
        client = TestClient(create_app(config.with_overrides(**overrides)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.close()


@pytest.fixture
def widgets(widgets_factory) -> TestClient:  # type: ignore[no-untyped-def]
    return widgets_factory()
