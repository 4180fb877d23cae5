"""`alertmock verify` has teeth: each broken variant of the mock is reported by the right check,
and the faithful mock, verified the same way, is not.

Every run is one `alertmock verify` (Schemathesis CLI in a subprocess) against the app served by
uvicorn on a free port, restricted to the operations a variant touches and to the phase that
reaches the breakage, with few examples and a fixed seed so that the suite stays fast and repeatable.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from alertmock import Config, create_app
from alertmock.cli import build_parser
from alertmock.verify import Credentials, VerifyOptions, VerifyResult, options_from_args, run, schemathesis_command
from tests.broken_variants import VARIANTS, Variant


def _verify(
    app: Any, operations: tuple[str, ...], phases: tuple[str, ...], api: str = "scalingo"
) -> tuple[VerifyResult, str]:
    out = io.StringIO()
    options = VerifyOptions(api=api, operations=operations, phases=phases, max_examples=15, seed=20260610, workers=1)
    result = run(options, app=app, out=out, capture=True)
    return result, out.getvalue()


def _faithful() -> Any:
    return create_app(Config(seed=1, clock="2026-06-10T07:08:13Z@x1"))


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_broken_variant_is_reported_by_the_right_check(variant: Variant) -> None:
    result, log = _verify(variant.wrap(_faithful()), variant.operations, variant.phases, variant.api)
    assert not result.ok, log
    assert variant.expected_check in result.failed_checks, f"{variant.name}: got {result.failures}\n{log[-4000:]}"


@pytest.mark.parametrize("api", sorted({v.api for v in VARIANTS}))
def test_the_faithful_mock_is_clean_on_the_same_runs(api: str) -> None:
    # The union of the vendor's variants' operations and phases, against the unbroken mock.
    variants = [v for v in VARIANTS if v.api == api]
    operations = tuple(dict.fromkeys(op for v in variants for op in v.operations))
    phases = tuple(dict.fromkeys(p for v in variants for p in v.phases))
    result, log = _verify(_faithful(), operations, phases, api)
    assert result.ok, f"{result.failures} {result.errors}\n{log[-6000:]}"
    assert result.tested == len(operations)


def test_cli_wiring_builds_the_documented_command() -> None:
    args = build_parser().parse_args(
        [
            "verify",
            "--url",
            "https://staging.example.com/",
            "--api",
            "tableau",
            "--token",
            "abc",
            "--read-only",
            "--max-examples",
            "7",
            "--rate-limit",
            "100/m",
            "--report",
            "junit,har,html",
            "--report-dir",
            "out",
        ]
    )
    options = options_from_args(args)
    command = schemathesis_command(
        options, "https://staging.example.com", options.spec, Credentials({"X-Tableau-Auth": "abc"}), "e.nd", None
    )
    joined = " ".join(map(str, command))
    assert "-m schemathesis.cli run" in joined
    assert "--include-tag-regex ^tableau-" in joined
    assert "--include-method-regex ^(GET|HEAD)$" in joined
    assert "--checks all" in joined and "--max-examples 7" in joined and "--rate-limit 100/m" in joined
    assert "--report junit,har,html,ndjson" in joined and "--report-dir out" in joined
    assert "--header X-Tableau-Auth: abc" in joined


def test_a_failed_sign_in_stops_verify_with_a_clear_message() -> None:
    out = io.StringIO()
    options = VerifyOptions(api="tableau", username="admin", password="wrong", phases=("examples",))
    with pytest.raises(Exception, match="sign-in failed"):
        run(options, app=_faithful(), out=out, capture=True)


def test_alertmock_verify_against_mock_exits_zero_when_clean_and_one_when_not(
    capfd: pytest.CaptureFixture[str],
) -> None:
    from alertmock.cli import main

    base = ["verify", "--against-mock", "--api", "scalingo", "--phases", "examples", "--seed", "1"]
    assert main([*base, "--operation", "GET /v1/apps/{app}/alerts/{alert_id}"]) == 0
    assert "scalingo: 1 operations, no failures" in capfd.readouterr().out
    assert main(["verify", "--api", "scalingo"]) == 2  # neither --url nor --against-mock
    assert "give --url" in capfd.readouterr().err
