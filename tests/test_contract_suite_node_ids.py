"""The contract suite's tests are told apart by pytest: one node id per operation.

pytest-xdist (which runs the suite) keeps one result per node id; with the id Schemathesis gives
every operation of a test alike, a failing operation was reported as a passing sibling.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_contract_test_has_a_node_id_of_its_own() -> None:
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "contract_tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ids = [line for line in collected.splitlines() if "::" in line]
    assert len(ids) > 30  # every documented operation, and the stateful runs
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert "contract_tests/test_scalingo_alerts.py::test_scalingo_alerts[POST /v1/apps/{app}/alerts]" in ids
