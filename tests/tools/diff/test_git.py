"""`alertmock diff main:openapi.yaml openapi.yaml` in a repository whose branch changed a spec/ file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=Reviewer", "-c", "user.email=reviewer@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *identity, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def _alertmock(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alertmock.cli", *argv], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the contract committed on `main`, then a branch whose commit drops a required property."""
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "contract")
    _git(tmp_path, "checkout", "-q", "-b", "change")
    scalingo = tmp_path / "spec/scalingo.yaml"
    text = scalingo.read_text(encoding="utf-8")
    old = "required: [id, app_id, created_at, updated_at, container_type, disabled, metric, limit, send_when_below]"
    assert text.count(old) == 1
    scalingo.write_text(text.replace(old, old.replace(" metric,", "")), encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "metric is optional")
    return tmp_path


def test_a_branch_is_reviewed_against_main(repo: Path) -> None:
    done = _alertmock(repo, "diff", "main:openapi.yaml", "openapi.yaml", "--format", "json")
    assert done.returncode == 1, done.stderr
    changes = json.loads(done.stdout)["changes"]
    found = [c for c in changes if c["id"] == "response-property-became-optional"]
    # Every operation answering an alert: list, create, get, update (PUT and PATCH).
    assert len(found) == 5
    lines = (repo / "spec/scalingo.yaml").read_text(encoding="utf-8").splitlines()
    assert {(c["file"], lines[c["line"] - 1].strip()[:10]) for c in found} == {("spec/scalingo.yaml", "required: ")}
    assert {c["operation"] for c in found} >= {"GET /v1/apps/{app}/alerts/{alert_id}", "POST /v1/apps/{app}/alerts"}


def test_two_refs_and_a_subdirectory(repo: Path) -> None:
    done = _alertmock(repo / "spec", "diff", "main:../openapi.yaml", "HEAD:../openapi.yaml", "--format", "github")
    assert done.returncode == 1, done.stderr
    lines = (repo / "spec/scalingo.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "required: [id, app_id," in text)
    # Files are named from where the command runs, as the paths given to it are.
    assert f"::error file=../spec/scalingo.yaml,line={line},title=response-property-became-optional" in done.stdout
    assert _alertmock(repo, "diff", "main:openapi.yaml", "main:openapi.yaml").returncode == 0


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("nosuchbranch:openapi.yaml", "no git ref 'nosuchbranch'"),
        ("main:missing.yaml", "missing.yaml is not in main"),
        ("missing.yaml", "missing.yaml: No such file or directory"),
    ],
)
def test_a_side_that_cannot_be_read_is_one_line_and_exit_2(repo: Path, base: str, said: str) -> None:
    done = _alertmock(repo, "diff", base, "openapi.yaml")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and said in done.stderr, done.stderr


def test_a_ref_path_is_read_from_the_repository_root_as_git_reads_it(repo: Path) -> None:
    # `git show main:openapi.yaml` works from spec/; so does the diff, and `./` keeps its meaning.
    from_root = _alertmock(repo / "spec", "diff", "main:openapi.yaml", "../openapi.yaml", "--format", "json")
    assert from_root.returncode == 1, from_root.stderr
    relative = _alertmock(repo / "spec", "diff", "main:./../openapi.yaml", "../openapi.yaml", "--format", "json")
    assert json.loads(from_root.stdout) == json.loads(relative.stdout)
