"""The ``--alertmock-base-url`` option (the same as ALERTMOCK_BASE_URL, read by _support at import), and the coverage gate."""

from __future__ import annotations

import os
from typing import Any

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


def _untested() -> list[str]:
    from contract_tests._support import ALLOWED_UNTESTED, ANSWERS

    return sorted(op for op, answers in ANSWERS.items() if not answers["2xx"] and op not in ALLOWED_UNTESTED)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The coverage gate, as in `alertmock verify`: an operation whose tests ran but never got a 2xx was
    # not tested (every check judged error answers only), so the run fails even if every test passed.
    if _untested() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    from contract_tests._support import ANSWERS

    if not ANSWERS:
        return
    tested = sum(1 for answers in ANSWERS.values() if answers["2xx"])
    terminalreporter.section("contract coverage (operations answered 2xx)")
    terminalreporter.write_line(f"{tested} of {len(ANSWERS)} operations whose tests ran answered 2xx at least once")
    for operation in _untested():
        terminalreporter.write_line(f"UNTESTED {operation}: {dict(ANSWERS[operation])}", red=True)
