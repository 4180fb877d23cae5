"""The ``--alertmock-base-url`` option (the same as ALERTMOCK_BASE_URL, read by _support at import),
one node id per operation, and the coverage gate (whole across pytest-xdist's workers)."""

from __future__ import annotations

import json
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Schemathesis names every operation of one parametrized test by the test alone
    # (`test_matatika_alerts`). pytest-xdist keeps one result per node id, so a failing operation was
    # reported as its passing siblings; `--lf`, `--deselect` and JUnit lost them too.
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            unique = f"{item.nodeid}[{label}]"
            if hasattr(item, "_id"):  # pytest 9's structured node id
                item._id = type(item._id).parse(unique)
            else:
                item._nodeid = unique


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        # An xdist worker: its answers go to the controller, which judges them all together.
        from contract_tests._support import ANSWERS

        workeroutput["contract_answers"] = json.dumps(ANSWERS)
        return
    # The coverage gate, as in `alertmock verify`: an operation whose tests ran but never got a 2xx was
    # not tested (every check judged error answers only), so the run fails even if every test passed.
    if _untested() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """An xdist worker's answers, added to the controller's."""
    from contract_tests._support import ANSWERS

    for operation, answers in json.loads(getattr(node, "workeroutput", {}).get("contract_answers", "{}")).items():
        ANSWERS[operation].update(answers)


def _untested() -> list[str]:
    from contract_tests._support import ALLOWED_UNTESTED, ANSWERS

    return sorted(op for op, answers in ANSWERS.items() if not answers["2xx"] and op not in ALLOWED_UNTESTED)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    from contract_tests._support import ANSWERS

    if not ANSWERS:
        return
    tested = sum(1 for answers in ANSWERS.values() if answers["2xx"])
    terminalreporter.section("contract coverage (operations answered 2xx)")
    terminalreporter.write_line(f"{tested} of {len(ANSWERS)} operations whose tests ran answered 2xx at least once")
    for operation in _untested():
        terminalreporter.write_line(f"UNTESTED {operation}: {dict(ANSWERS[operation])}", red=True)
