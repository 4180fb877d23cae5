"""Shared fixtures: an app over the real contract and fixtures, with a fresh state for every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app

# Frozen-start clock running at real speed: timestamps are predictable, lifecycles still advance.
TEST_CLOCK = "2026-06-10T07:08:13Z@x1"

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def client_factory() -> Iterator[ClientFactory]:
    """Build a client over a new app; keyword arguments override `Config` fields."""
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        settings = {"validate_responses": True, "clock": TEST_CLOCK, "seed": 1, **overrides}
        client = TestClient(create_app(Config(**settings)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def client(client_factory: ClientFactory) -> TestClient:
    return client_factory()


# Each of their tests runs `alertmock verify` (a server and a Schemathesis process, 10-50 s): started
# first, they run beside the short tests instead of after them, the run's last minutes on one core.
LONGEST_FIRST = ("tests/tools/test_verify_deployment_safety.py", "tests/tools/test_verify.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: order kept within
