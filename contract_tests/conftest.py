"""The ``--alertmock-base-url`` option: the same as ALERTMOCK_BASE_URL (read by _support at import)."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--alertmock-base-url",
        default=None,
        help="run contract_tests against this deployment instead of the in-process mock (env ALERTMOCK_BASE_URL)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Test modules build their schemas at import, after this hook: the environment carries the choice.
    url = config.getoption("--alertmock-base-url", default=None)
    if url:
        os.environ["ALERTMOCK_BASE_URL"] = url
