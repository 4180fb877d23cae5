"""`alertmock verify` has teeth: each broken variant of the mock is refused by the right check or
verdict, the faithful mock verified the same way is not, and a green run means the operations were
tested (credentials survive, coverage is part of the verdict, read-only never writes).

Every run is one `alertmock verify` (Schemathesis CLI in a subprocess) against the app served by
uvicorn on a free port, restricted to the operations a variant touches and to the phase that
reaches the breakage, with few examples and a fixed seed so that the suite stays fast and repeatable.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from alertmock import Config, create_app
from alertmock.cli import build_parser
from alertmock.tools.verify import ExitCode, VerifyError, VerifyOptions, VerifyResult, run, serve_in_thread
from alertmock.tools.verify.command import options_from_args
from alertmock.tools.verify.parents import merge, read_ids_file
from alertmock.tools.verify.run import config_toml, schemathesis_command
from tests.broken_variants import VARIANTS, Scope, Variant

SEED = 20260610
# Every run writes its event log to --report-dir: away from the checkout unless a test asks, and one
# directory per test process (pytest-xdist's workers run verify side by side).
REPORTS = Path(tempfile.gettempdir()) / f"alertmock-verify-test-reports-{os.getpid()}"


def _verify(
    app: Any, api: str, operations: tuple[str, ...], phases: tuple[str, ...], **options: Any
) -> tuple[VerifyResult, str]:
    out = io.StringIO()
    settings = {"max_examples": 5, "seed": SEED, "report_dir": REPORTS, **options}
    result = run(
        VerifyOptions(api=api, operations=operations, phases=phases, **settings), app=app, out=out, capture=True
    )
    return result, out.getvalue()


def _faithful() -> Any:
    return create_app(Config(seed=1, clock="2026-06-10T07:08:13Z@x1"))


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_broken_variant_is_refused_by_the_right_check(variant: Variant) -> None:
    result, log = _verify(variant.wrap(_faithful()), variant.api, variant.operations, variant.phases)
    assert result.code == variant.expected_code, f"{variant.name}: {result.reasons}\n{log[-4000:]}"
    if variant.expected_check:
        assert variant.expected_check in result.failed_checks, f"{variant.name}: got {result.failures}\n{log[-4000:]}"


@pytest.mark.parametrize("api", sorted({v.api for v in VARIANTS}))
def test_the_faithful_mock_is_clean_on_the_same_runs(api: str) -> None:
    # The union of the vendor's variants' operations and phases, against the unbroken mock.
    variants = [v for v in VARIANTS if v.api == api]
    operations = tuple(dict.fromkeys(op for v in variants for op in v.operations))
    phases = tuple(dict.fromkeys(p for v in variants for p in v.phases))
    result, log = _verify(_faithful(), api, operations, phases)
    assert result.ok, f"{result.reasons}\n{log[-6000:]}"
    assert result.tested == len(operations)


def test_a_delete_that_does_not_delete_is_caught_with_another_seed() -> None:
    # Every 2xx DELETE is read back; a DELETE that never answers 2xx leaves the run untested: either way, refused.
    variant = next(v for v in VARIANTS if v.name == "DELETE that does not delete")
    result, log = _verify(variant.wrap(_faithful()), variant.api, variant.operations, ("fuzzing", "stateful"), seed=1)
    assert "deleted_resource_is_gone" in result.failed_checks, f"{result.reasons}\n{log[-3000:]}"


class Recorder:
    """Every request's method and path, as the mock received them."""

    def __init__(self, app: Any) -> None:
        self.app, self.seen = app, Counter[tuple[str, str]]()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen[(scope["method"], scope["path"])] += 1
        await self.app(scope, receive, send)


def test_sign_out_gets_a_throwaway_credential_and_the_runs_survives() -> None:
    # No mock sessions: one shared state, as on a deployment, so a revoked run credential would show.
    recorder = Recorder(_faithful())
    signout = "POST /api/{api-version}/auth/signout"
    alerts = "GET /api/{api-version}/sites/{site-id}/dataAlerts"
    result, log = _verify(recorder, "tableau", (signout, alerts), ("examples", "fuzzing"), isolate_mock_sessions=False)
    assert result.ok, f"{result.reasons}\n{log[-4000:]}"
    signed_out = sum(n for (method, path), n in recorder.seen.items() if path.endswith("/auth/signout"))
    signed_in = sum(n for (method, path), n in recorder.seen.items() if path.endswith("/auth/signin"))
    assert signed_out and signed_in > 1, recorder.seen  # one sign-in for the run, one per sign-out
    # Sign-out runs first (the contract's order), in the one shared state: the alerts' 2xx after it,
    # and the re-check at the end (part of result.ok), show the run's own token was never revoked.
    assert result.coverage.operations[alerts].ok


def test_a_token_only_tableau_run_leaves_sign_out_alone() -> None:
    recorder = Recorder(_faithful())
    signout = "POST /api/{api-version}/auth/signout"
    alerts = "GET /api/{api-version}/sites/{site-id}/dataAlerts"
    result, log = _verify(
        recorder, "tableau", (signout, alerts), ("examples",), token="12ab34cd56ef78ab90cd12ef34ab56cd"
    )
    assert result.ok, f"{result.reasons}\n{log[-4000:]}"
    assert not any(path.endswith("/auth/signout") for _, path in recorder.seen)
    assert "not running POST /api/{api-version}/auth/signout" in log


@pytest.mark.parametrize("api", ["matatika", "tableau", "scalingo"])
def test_read_only_sends_nothing_but_get_and_head_besides_signing_in(api: str) -> None:
    recorder = Recorder(_faithful())
    result, log = _verify(
        recorder, api, (), ("examples", "coverage", "fuzzing", "stateful"), read_only=True, max_examples=3
    )
    writes = {key: n for key, n in recorder.seen.items() if key[0] not in ("GET", "HEAD")}
    assert all(path.endswith(("/auth/signin", "/v1/tokens/exchange")) for _, path in writes), writes
    assert result.ok, f"{result.reasons}\n{log[-4000:]}"


def test_an_untested_operation_can_be_allowed_explicitly() -> None:
    # The variant itself ("only ever answers its documented 404") shows the refusal with ExitCode.UNTESTED.
    variant = next(v for v in VARIANTS if v.expected_code == ExitCode.UNTESTED)
    allowed, log = _verify(
        variant.wrap(_faithful()), variant.api, variant.operations, ("examples",), allow_untested=variant.operations
    )
    assert allowed.ok, f"{allowed.reasons}\n{log[-3000:]}"
    assert "untested (allowed)" in log


def test_the_table_counts_answers_per_operation_and_reports_land_where_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # --report-dir is relative to the caller's directory
    listing = "GET /v1/apps/{app}/alerts"
    result, log = _verify(
        _faithful(), "scalingo", (listing,), ("examples",), reports=("junit",), report_dir=Path("out")
    )
    assert result.ok
    assert list((tmp_path / "out").glob("junit*.xml"))
    line = next(row for row in log.splitlines() if row.strip().startswith(listing + " "))
    counts = result.coverage.operations[listing]
    assert counts.ok >= 1 and counts.requests >= counts.ok
    assert line.split()[2:4] == [str(counts.requests), str(counts.ok)] and line.rstrip().endswith("ok")


def test_nothing_listening_is_one_line_and_exit_2(capfd: pytest.CaptureFixture[str]) -> None:
    from alertmock.cli import main

    with serve_in_thread(_faithful()) as url:
        pass  # the port is free again: nothing listens there now
    for api in ("matatika", "scalingo"):
        assert main(["verify", "--url", url, "--api", api, "--token", "t"]) == 2
        captured = capfd.readouterr()
        assert captured.err.count("\n") == 1 and "Traceback" not in captured.err + captured.out
        assert f"cannot reach {url}" in captured.err


def test_a_token_exchange_that_answers_something_else_is_one_line() -> None:
    async def empty(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})

    with pytest.raises(VerifyError, match=r"token exchange: POST .*/v1/tokens/exchange answered 200 without a token"):
        run(VerifyOptions(api="scalingo", token="tk-us-x", phases=("examples",)), app=empty, out=io.StringIO())


def test_a_refused_sign_in_stops_verify_with_a_clear_message() -> None:
    options = VerifyOptions(api="tableau", username="admin", password="wrong", phases=("examples",))
    with pytest.raises(VerifyError, match=r"sign-in failed: POST .* answered 401"):
        run(options, app=_faithful(), out=io.StringIO())


def test_cli_wiring_builds_the_documented_command(tmp_path: Path) -> None:
    ids = tmp_path / "ids.yaml"
    ids.write_text("tableau:\n  site-id: from-file\n  data-alert-id: a1\n", encoding="utf-8")
    args = build_parser().parse_args(
        [
            "verify", "--url", "https://staging.example.com/", "--api", "tableau", "--token", "abc", "--read-only",
            "--max-examples", "7", "--rate-limit", "100/m", "--report", "junit,har", "--report-dir", "out",
            "--set-path", "site-id=from-option", "--ids", str(ids), "--allow-untested", "GET /x",
        ]
    )  # fmt: skip
    options = options_from_args(args)
    assert options.allow_untested == ["GET /x"]
    assert merge(options.set_path, read_ids_file(options.ids_file, "tableau")) == {
        "site-id": "from-option",
        "data-alert-id": "a1",
    }
    from alertmock.tools.verify import bundled_document
    from alertmock.tools.verify.run import select

    selected = select(bundled_document(options.spec), options)
    assert selected and all(op.method == "GET" for op in selected)
    command = schemathesis_command(options, "https://staging.example.com", options.spec, selected, Path("e.nd"), None)
    joined = " ".join(map(str, command))
    assert "-m schemathesis.cli run" in joined and "--include-name GET /api/{api-version}/serverinfo" in joined
    assert "--checks all" in joined and "--max-examples 7" in joined and "--rate-limit 100/m" in joined
    assert "--report junit,har,ndjson" in joined and f"--report-dir {Path('out').resolve()}" in joined
    assert "abc" not in joined  # credentials travel through the auth provider, not the command line
    assert "unexpected-methods = []" in config_toml({}, read_only=True)


def test_alertmock_verify_against_mock_exit_codes(capfd: pytest.CaptureFixture[str]) -> None:
    from alertmock.cli import main

    base = ["verify", "--against-mock", "--api", "scalingo", "--phases", "examples", "--seed", "1"]
    base += ["--report-dir", str(REPORTS)]
    assert main([*base, "--operation", "GET /v1/apps/{app}/alerts/{alert_id}"]) == 0
    assert "scalingo: 1 operations answered 2xx, no failures" in capfd.readouterr().out
    assert main(["verify", "--api", "scalingo"]) == 2  # neither --url nor --against-mock
    assert "give --url" in capfd.readouterr().err
    assert main([*base, "--operation", "GET /nowhere"]) == 2
    assert "is not a scalingo operation" in capfd.readouterr().err


def test_the_ids_file_may_be_flat_json(tmp_path: Path) -> None:
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({"app": "my-app"}), encoding="utf-8")
    assert read_ids_file(ids, "scalingo") == {"app": "my-app"}
    ids.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(VerifyError, match="expected a mapping"):
        read_ids_file(ids, "scalingo")


def test_importing_verify_registers_nothing_with_schemathesis() -> None:
    # Only the hooks module (imported by the Schemathesis process) installs anything, by explicit calls.
    import subprocess
    import sys

    check = (
        "import schemathesis.auths as a, schemathesis.checks as c; before = len(c.CHECKS.get_all()); "
        "import alertmock.tools.verify, alertmock.tools.verify.run, alertmock.tools.verify.auth; "
        "print(len(a.GLOBAL_AUTH_STORAGE.providers), len(c.CHECKS.get_all()) - before)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "0"], done.stderr
