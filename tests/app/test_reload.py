"""`alertmock serve --reload` as a developer uses it: files saved while it serves, half-edited ones too.

The contract and fixtures are copied to a folder of the test's own, served from there; the test
edits them and reads what the mock prints and answers.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
ALERTS = "/v1/apps/example-app/alerts"
SERVE = [sys.executable, "-m", "alertmock.cli", "serve", "--reload", "--quiet"]


@dataclass
class Reloading:
    url: str
    folder: Path
    log: Path

    def printed(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, text: str, after: int, timeout: float = 60) -> str:
        """What was printed after `after` characters, once it holds `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            printed = self.printed()[after:]
            if text in printed:
                return printed
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not printed within {timeout} s:\n{self.printed()}")

    def answers_at_once(self, session: str) -> httpx.Response:
        """The session's alerts, asked with a one-second timeout: a request that hangs fails."""
        return httpx.get(self.url + ALERTS, headers={**SCALINGO, "X-Mock-Session": session}, timeout=1.0)


@pytest.fixture
def reloading(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Reloading]:
    flags: list[str] = getattr(request, "param", [])
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    port = free_port()
    log = tmp_path / "printed.txt"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [
                *SERVE,
                "--port",
                str(port),
                "--spec",
                str(tmp_path / "openapi.yaml"),
                "--fixtures",
                str(tmp_path / "fixtures"),
                *(flag.format(folder=tmp_path) for flag in flags),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            yield Reloading(f"http://127.0.0.1:{port}", tmp_path, log)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _create_alert(reloading: Reloading, session: str) -> str:
    created = httpx.post(
        reloading.url + ALERTS,
        headers={**SCALINGO, "X-Mock-Session": session},
        json={"alert": {"container_type": "web", "metric": "cpu", "limit": 0.5}},
    )
    assert created.status_code == 201, created.text
    return str(created.json()["alert"]["id"])


def _once_restarted(reloading: Reloading, session: str) -> httpx.Response:
    """The session's alerts from the new worker (a good reload restarts it: a second or two)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(reloading.url + ALERTS, headers={**SCALINGO, "X-Mock-Session": session}, timeout=10)
        except httpx.TransportError:
            assert time.monotonic() < deadline, reloading.printed()
            time.sleep(0.2)


def _ids(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [alert["id"] for alert in answer.json()["alerts"]]


def test_the_banner_says_what_a_reload_keeps(reloading: Reloading) -> None:
    assert "--reload:" in reloading.printed() and "sessions are kept" in reloading.printed()


def test_a_session_lives_through_a_reload_of_the_contract(reloading: Reloading) -> None:
    alert = _create_alert(reloading, "kept")
    before = len(reloading.printed())
    with (reloading.folder / "spec" / "scalingo.yaml").open("a", encoding="utf-8") as contract:
        contract.write("\n# an edit\n")
    reloading.wait_for("alertmock: reloading; sessions kept", before)
    assert alert in _ids(_once_restarted(reloading, "kept"))


def test_a_malformed_fixture_is_one_line_and_the_last_good_data_keeps_answering(reloading: Reloading) -> None:
    alert = _create_alert(reloading, "before")
    fixture = reloading.folder / "fixtures" / "scalingo" / "alerts.json"
    good = fixture.read_text(encoding="utf-8")
    before = len(reloading.printed())
    fixture.write_text(good[: len(good) // 2], encoding="utf-8")  # saved half-way through an edit

    # At once and while the change is looked at: the running mock answers, with the session's data.
    started = time.monotonic()
    while time.monotonic() - started < 3:
        assert alert in _ids(reloading.answers_at_once("before"))
        time.sleep(0.2)
    printed = reloading.wait_for("not reloaded", before)
    assert "Traceback" not in printed
    complaint = [line for line in printed.splitlines() if "not reloaded" in line]
    assert len(complaint) == 1 and "alerts.json" in complaint[0], printed
    assert alert in _ids(reloading.answers_at_once("before"))

    # Mended, it reloads; the fixtures changed, so sessions start again from them (and it says so).
    before = len(reloading.printed())
    fixture.write_text(good, encoding="utf-8")
    reloading.wait_for("the fixtures changed, so every session starts again", before)
    ids = _ids(_once_restarted(reloading, "before"))
    assert alert not in ids and ids


@pytest.mark.parametrize("reloading", [["--state-file", "{folder}/kept-sessions.json"]], indirect=True)
def test_a_fixture_change_never_deletes_the_users_state_file(reloading: Reloading) -> None:
    alert = _create_alert(reloading, "mine")
    fixture = reloading.folder / "fixtures" / "scalingo" / "alerts.json"
    before = len(reloading.printed())
    fixture.write_text(fixture.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    reloading.wait_for("sessions kept as saved", before)
    assert alert in _ids(_once_restarted(reloading, "mine"))
    assert (reloading.folder / "kept-sessions.json").exists()
