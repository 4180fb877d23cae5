from __future__ import annotations

import subprocess
import sys

from alertmock.cli import build_parser, demo_credentials, main
from alertmock.config import DEFAULT_SPEC


def test_serve_help_documents_every_setting() -> None:
    help_text = build_parser()._subparsers._group_actions[0].choices["serve"].format_help()  # type: ignore[union-attr]
    for flag in (
        "--host",
        "--port",
        "--fixtures",
        "--cors-origins",
        "--seed",
        "--clock",
        "--journal-size",
        "--max-sessions",
        "--reload",
        "--validate-responses",
    ):
        assert flag in help_text


def test_demo_credentials_come_from_the_contract() -> None:
    text = demo_credentials(DEFAULT_SPEC)
    assert "matatika-demo-token" in text and "12ab34cd56ef78ab90cd12ef34ab56cd" in text and "tk-us-demo-token" in text


def test_lint_exits_zero_on_the_contract(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["lint"]) == 0
    assert "32/32" in capsys.readouterr().out


def test_the_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alertmock.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "serve" in result.stdout and "lint" in result.stdout
    assert "Warning" not in result.stderr
