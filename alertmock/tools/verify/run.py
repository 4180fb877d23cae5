"""One verification: credentials, ids, Schemathesis in a subprocess, coverage, verdict.

Schemathesis runs as ``python -m schemathesis.cli`` (its own progress output and reports) with
`alertmock.tools.verify.hooks` as its hooks module; the plan it needs (credentials per scheme, who
gets a throwaway credential, mock sessions) goes through a file in the run's temporary directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from alertmock.app.config import DEFAULT_SPEC, Config
from alertmock.tools.verify import coverage as cov
from alertmock.tools.verify import credentials as creds
from alertmock.tools.verify import ids as parent_ids
from alertmock.tools.verify.command import DEFAULT_PHASES
from alertmock.tools.verify.contract import Operation, bundled_document, operations, vendor_client
from alertmock.tools.verify.errors import ExitCode, VerifyError
from alertmock.tools.verify.plan import PLAN_ENV, Plan
from alertmock.tools.verify.serving import serve_in_thread
from alertmock.tools.verify.tolerances import schemathesis_settings

READ_ONLY_METHODS = ("GET", "HEAD")
# How many Schemathesis errors the summary lists before it counts the rest.
SHOWN_ERRORS = 5


@dataclass
class VerifyOptions:
    api: str
    url: str | None = None
    token: str | None = None
    username: str | None = None
    password: str | None = None
    # Another identity of the same deployment, for object_level_authorization (mock: the client's).
    second_token: str | None = None
    second_username: str | None = None
    second_password: str | None = None
    site: str = ""
    auth_url: str | None = None
    read_only: bool = False
    max_examples: int = 20
    rate_limit: str | None = None
    reports: Sequence[str] = ()
    report_dir: Path = Path("schemathesis-report")
    against_mock: bool = False
    phases: Sequence[str] = DEFAULT_PHASES
    checks: Sequence[str] = ("all",)
    exclude_checks: Sequence[str] = ()
    operations: Sequence[str] = ()  # "METHOD /path" names, to verify only these
    set_path: Mapping[str, str] = field(default_factory=dict)
    ids_file: Path | None = None
    discover: bool = True
    allow_untested: Sequence[str] = ()
    seed: int | None = None
    workers: int = 1
    # Against the mock, each operation and phase in its own X-Mock-Session (see auth.py); off, the
    # mock is one shared state, as a deployment is.
    isolate_mock_sessions: bool = True
    spec: Path = DEFAULT_SPEC
    request_timeout: float = 30.0


@dataclass
class VerifyResult:
    code: ExitCode
    coverage: cov.Coverage
    reasons: list[str]
    schemathesis_returncode: int

    @property
    def ok(self) -> bool:
        return self.code == ExitCode.OK

    @property
    def failures(self) -> dict[tuple[str, str], int]:
        return self.coverage.failures

    @property
    def failed_checks(self) -> set[str]:
        return {check for _, check in self.failures}

    @property
    def tested(self) -> int:
        return sum(1 for op in self.coverage.operations.values() if op.ok)


def select(document: dict[str, Any], opts: VerifyOptions) -> list[Operation]:
    """The operations this run covers: the vendor's, or the named ones; GET/HEAD only when read-only."""
    chosen = operations(document, opts.api)
    if opts.operations:
        known = {op.label for op in chosen}
        unknown = [name for name in opts.operations if name not in known]
        if unknown:
            raise VerifyError(f"--operation {unknown[0]!r} is not a {opts.api} operation of the contract")
        chosen = [op for op in chosen if op.label in opts.operations]
    if opts.read_only:
        chosen = [op for op in chosen if op.method in READ_ONLY_METHODS]
    return chosen


def config_toml(parameters: Mapping[str, str], read_only: bool) -> str:
    """Schemathesis' config file: fixed path parameters, the tolerances, and no write probes when read-only."""
    lines = []
    if parameters:
        lines += ["[parameters]"] + [f"{json.dumps('path.' + k)} = {json.dumps(v)}" for k, v in parameters.items()]
    if read_only:
        # The coverage phase otherwise sends every undeclared method (POST, PUT, DELETE...) to each path.
        lines += ["", "[phases.coverage]", "unexpected-methods = []"]
    for operation in schemathesis_settings()["operations"]:
        lines += ["", "[[operations]]"] + [f"{key} = {json.dumps(value)}" for key, value in _dotted(operation)]
    return "\n".join(lines) + "\n"


def _dotted(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """A nested table as TOML dotted keys (``checks.x.expected-statuses``); values are JSON-compatible."""
    keys: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            keys += _dotted(value, f"{prefix}{key}.")
        else:
            keys.append((f"{prefix}{key}", value))
    return keys


def schemathesis_command(
    opts: VerifyOptions, url: str, contract: Path, selected: Sequence[Operation], ndjson: Path, config: Path | None
) -> list[str]:
    command = [sys.executable, "-m", "schemathesis.cli"]
    if config is not None:
        command += ["--config-file", str(config)]
    reports = [r for r in opts.reports if r != "ndjson"]
    command += [
        "run",
        str(contract),
        "--url",
        url,
        "--checks",
        ",".join(opts.checks),
        "--phases",
        ",".join(opts.phases),
        "--max-examples",
        str(opts.max_examples),
        "--workers",
        str(opts.workers),
        "--request-timeout",
        str(opts.request_timeout),
        "--report",
        ",".join([*reports, "ndjson"]),
        "--report-dir",
        str(opts.report_dir.resolve()),
        "--report-ndjson-path",
        str(ndjson),
        # Statistics of what was generated and rejected, not failures: noise in a QA log.
        "--warnings",
        "off",
    ]
    if opts.exclude_checks:
        command += ["--exclude-checks", ",".join(opts.exclude_checks)]
    # Exactly the selected operations (include filters of one kind add up; kinds would too).
    for operation in selected:
        command += ["--include-name", operation.label]
    if opts.rate_limit:
        command += ["--rate-limit", opts.rate_limit]
    if opts.seed is not None:
        command += ["--seed", str(opts.seed)]
    return command


def _client_options(opts: VerifyOptions, defaults: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "token": opts.token or (None if opts.username else defaults.get("token")),
        "username": opts.username or defaults.get("username"),
        "password": opts.password or defaults.get("password"),
        "site": opts.site,
        "auth_url": opts.auth_url,
        "timeout": opts.request_timeout,
    }


def _second_options(opts: VerifyOptions, client: Any, mock: bool) -> dict[str, Any] | None:
    """The second identity's sign-in options, or None when the run has none."""
    given = {"token": opts.second_token, "username": opts.second_username, "password": opts.second_password}
    if not any(given.values()):
        if not mock or not getattr(client, "MOCK_SECOND_CREDENTIALS", None):
            return None
        given = dict(client.MOCK_SECOND_CREDENTIALS)
    return {"site": opts.site, "auth_url": opts.auth_url, "timeout": opts.request_timeout, **given}


def _reachable(url: str, timeout: float) -> None:
    with creds.plain_errors(url):
        httpx.get(url + "/", timeout=timeout)


def run(opts: VerifyOptions, *, out: IO[str] | None = None, app: Any = None, capture: bool = False) -> VerifyResult:
    """Verify ``opts.url`` (or the mock, or ``app`` served on a free port); print the coverage and verdict."""
    out = out or sys.stdout
    client = vendor_client(opts.api, opts.spec)
    document = bundled_document(opts.spec)
    selected = select(document, opts)
    with contextlib.ExitStack() as stack:
        url = opts.url
        mock = app is not None or opts.against_mock
        if app is None and opts.against_mock:
            from alertmock.app.factory import create_app

            app = create_app(Config.from_env().with_overrides(spec=opts.spec, seed=opts.seed or 1))
        if app is not None:
            url = stack.enter_context(serve_in_thread(app))
            print(f"alertmock verify: mock serving on {url}", file=out, flush=True)
        if not url:
            raise VerifyError("give --url BASE or --against-mock")
        url = url.rstrip("/")
        _reachable(url, opts.request_timeout)
        options = _client_options(opts, client.MOCK_CREDENTIALS if mock else {})
        credentials = creds.obtain(client, url, options)
        second_options = _second_options(opts, client, mock)
        second = creds.obtain(client, url, second_options) if second_options else None

        revoking = [op.label for op in selected if op.revokes_credential]
        if revoking and creds.throwaway(client, url, options) is None:
            print(
                f"alertmock verify: not running {', '.join(revoking)}: it revokes the credential it is sent, "
                "and only a sign-in (--username/--password) can give it one of its own",
                file=out,
            )
            selected = [op for op in selected if op.label not in revoking]
            revoking = []
        ids = parent_ids.merge(
            opts.set_path,
            parent_ids.read_ids_file(opts.ids_file, opts.api) if opts.ids_file else {},
            credentials.learnt,
            # The mock's documented fixtures first: the documents' examples are written around them.
            parent_ids.fixture_ids(client, Config.from_env().fixtures / opts.api) if mock else {},
            creds.discover(client, url, credentials, opts.request_timeout) if opts.discover and not mock else {},
        )
        used = {name for op in selected for name in op.path_parameters}
        ids = {name: value for name, value in ids.items() if name in used}
        if ids:
            print(f"alertmock verify: path parameters {_describe(ids)}", file=out, flush=True)

        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="alertmock-verify-")))
        contract = directory / "contract.json"
        contract.write_text(json.dumps(document), encoding="utf-8")
        ndjson = directory / "events.ndjson"
        config = directory / "schemathesis.toml"
        config.write_text(config_toml(ids, opts.read_only), encoding="utf-8")
        plan = Plan(
            url=url,
            schemes=credentials.schemes,
            security={op.label: list(op.security) for op in selected},
            revoking=revoking,
            client=client.__name__,
            client_options={k: v for k, v in options.items() if v is not None},
            mock_session=f"verify-{uuid.uuid4().hex[:12]}" if mock and opts.isolate_mock_sessions else None,
            second_schemes=second.schemes if second else None,
            second_options={k: v for k, v in second_options.items() if v is not None} if second_options else None,
        ).write(directory / "plan.json")
        command = schemathesis_command(opts, url, contract, selected, ndjson, config)
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "alertmock.tools.verify.hooks", PLAN_ENV: str(plan)}
        # The caller's working directory may hold a schemathesis.toml of its own: run from the temp dir.
        if capture:
            done = subprocess.run(command, env=env, cwd=directory, capture_output=True, text=True, check=False)
            out.write(done.stdout[-20000:])
            out.write(done.stderr[-5000:])
        else:
            out.flush()
            done = subprocess.run(command, env=env, cwd=directory, check=False)
        if "ndjson" in opts.reports and ndjson.exists():
            opts.report_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy(ndjson, opts.report_dir / "events.ndjson")

        coverage = cov.read_events(ndjson, selected)
        dead = creds.still_accepted(url, credentials, selected, ids, opts.request_timeout)
        if done.returncode not in (0, 1) and not coverage.errors and not coverage.failures:
            coverage.errors.append(f"Schemathesis exited with {done.returncode}")
        decided = cov.verdict(coverage, opts.allow_untested, dead)
        result = VerifyResult(decided.code, coverage, decided.reasons, done.returncode)
        print(summary(result, opts.api, opts.allow_untested), file=out, flush=True)
        return result


def _describe(ids: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in ids.items())


def summary(result: VerifyResult, api: str, allowed: Sequence[str] = ()) -> str:
    lines = ["", f"alertmock verify: {api}: per operation", cov.table(result.coverage, allowed)]
    if result.ok:
        lines.append(f"alertmock verify: {api}: {result.tested} operations answered 2xx, no failures.")
        return "\n".join(lines)
    lines.append(f"alertmock verify: {api}: FAILED (exit {int(result.code)}, {result.code.name.lower()})")
    errors = [r for r in result.reasons if r.startswith("error: ")]
    lines += [f"  {r}" for r in result.reasons if not r.startswith("error: ")]
    lines += [f"  {r}" for r in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"  ... and {len(errors) - SHOWN_ERRORS} more errors (see Schemathesis' output above)")
    return "\n".join(lines)
