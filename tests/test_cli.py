from __future__ import annotations

import gc
import socket
import subprocess
import sys

import pytest

from alertmock.app.config import DEFAULT_SPEC
from alertmock.cli import build_parser, demo_credentials, main


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
        "--state",
        "--workers",
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


# Mistakes in the command line, the environment or the files it names: one line, exit 2.


def _error_line(capsys, argv: list[str]) -> str:  # type: ignore[no-untyped-def]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no banner
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("alertmock: error: ")
    return lines[0]


def test_a_missing_spec_is_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    assert "/nonexistent.yaml: No such file or directory" in _error_line(
        capsys, ["serve", "--spec", "/nonexistent.yaml"]
    )


def test_a_spec_that_is_not_yaml_names_its_line_and_column(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: [unclosed\n", encoding="utf-8")
    line = _error_line(capsys, ["serve", "--spec", str(spec)])
    assert f"{spec}:3:1: not valid YAML" in line


def test_a_spec_that_is_not_openapi_is_one_line(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "wrong.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n", encoding="utf-8")
    assert f"--spec {spec}: not a valid OpenAPI 3.0 contract" in _error_line(capsys, ["serve", "--spec", str(spec)])


def test_a_malformed_fixture_names_its_path_line_and_column(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "matatika").mkdir()
    bad = tmp_path / "matatika" / "subscriptions.json"
    bad.write_text('[\n  {"id": "a",}\n]\n', encoding="utf-8")
    line = _error_line(capsys, ["serve", "--fixtures", str(tmp_path)])
    assert f"{bad}:2:14: " in line


def test_a_missing_fixtures_folder_is_an_error(capsys) -> None:  # type: ignore[no-untyped-def]
    assert "--fixtures /nonexistent: no such directory" in _error_line(capsys, ["serve", "--fixtures", "/nonexistent"])


def test_a_garbage_clock_is_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    line = _error_line(capsys, ["serve", "--clock", "garbage"])
    assert "--clock garbage: 'garbage' is not an ISO 8601 instant" in line


def test_a_port_out_of_range_is_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    assert "--port 99999: not a TCP port" in _error_line(capsys, ["serve", "--port", "99999"])


def test_a_bad_environment_variable_names_it(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALERTMOCK_PORT", "abc")
    assert "ALERTMOCK_PORT=abc: not a valid port" in _error_line(capsys, ["serve"])


def test_a_port_in_use_fails_before_the_banner() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "alertmock.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (f"alertmock: error: --host 127.0.0.1 --port {port}: Address already in use")


def test_several_workers_need_shared_state(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "2"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "--workers 2 needs shared state (--state redis://HOST:PORT/DB)" in error


def test_a_serve_that_cannot_start_gives_the_caller_its_collections_back() -> None:
    # `main` pauses the garbage collector for a server's start-up; a failed start must not leave
    # the calling process (this test run) without collections.
    assert main(["serve", "--workers", "2"]) == 2
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["serve", "--no-such-option"])
    assert gc.isenabled()


def test_state_must_be_memory_or_a_redis_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--state", "mongodb://x"]) == 2
    assert "--state mongodb://x: must be memory or a Redis URL" in capsys.readouterr().err


def test_an_unreachable_redis_is_said_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    assert main(["serve", "--state", f"redis://127.0.0.1:{port}/0"]) == 2
    assert f"--state redis://127.0.0.1:{port}/0: cannot reach Redis" in capsys.readouterr().err


def test_a_redis_url_option_the_state_store_would_ignore_is_said_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--state", "redis://127.0.0.1:1/0?health_check_interval=5"]) == 2
    assert "health_check_interval" in capsys.readouterr().err
