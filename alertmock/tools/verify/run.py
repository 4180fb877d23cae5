"""One verification: credentials, ids, Schemathesis in a subprocess, coverage, verdict.

Schemathesis runs as ``python -m schemathesis.cli`` (its own progress output and reports) with
`alertmock.tools.verify.hooks` as its hooks module; the plan it needs (credentials per scheme, who
gets a throwaway credential, mock sessions) goes through a file in the run's temporary directory.
"""

from __future__ import annotations

import contextlib
import json
import os
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
from alertmock.tools.verify import custody as safety
from alertmock.tools.verify import parents as parent_ids
from alertmock.tools.verify.command import DEFAULT_PHASES
from alertmock.tools.verify.document import (
    Operation,
    bundled_document,
    labels_by_operation_id,
    operations,
    vendor_client,
)
from alertmock.tools.verify.local_server import serve_in_thread
from alertmock.tools.verify.plan import PLAN_ENV, Plan
from alertmock.tools.verify.stops import ExitCode, VerifyError
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
    # Against a deployment: off (the default), changes and deletes only what the run created.
    allow_destructive: bool = False
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

    # Resources the run created and could not remove, one line each.
    left_behind: list[str] = field(default_factory=list)

    @property
    def tested(self) -> int:
        return sum(1 for op in self.coverage.operations.values() if op.ok)


def untested_labels(document: dict[str, Any], names: Sequence[str]) -> list[str]:
    """`--allow-untested` names: an operationId means its `METHOD /path`, the label coverage uses."""
    labels = labels_by_operation_id(document)
    return [labels.get(name, name) for name in names]


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
        str(ndjson.resolve()),
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


def banner(opts: VerifyOptions, url: str) -> str:
    """The run's first line against a deployment: what it may change there."""
    if opts.read_only:
        return f"alertmock verify: {url}: read-only: only GET and HEAD (and signing in) are sent"
    if opts.allow_destructive:
        return (
            f"alertmock verify: {url}: --allow-destructive: PUT, PATCH, DELETE and POST may change or delete "
            "any resource there, ids given, discovered or documented included; nothing is cleaned up"
        )
    return (
        f"alertmock verify: {url}: changes and deletes only what this run creates, and removes all of it "
        "at the end (--allow-destructive lifts this)"
    )


def run(opts: VerifyOptions, *, out: IO[str] | None = None, app: Any = None, capture: bool = False) -> VerifyResult:
    """Verify ``opts.url`` (or the mock, or ``app`` served on a free port); print the coverage and verdict."""
    out = out or sys.stdout
    client = vendor_client(opts.api, opts.spec)
    document = bundled_document(opts.spec)
    selected = select(document, opts)
    every = operations(document, opts.api)
    with contextlib.ExitStack() as stack:
        url = opts.url
        mock = app is not None or opts.against_mock
        guarded = not mock and not opts.allow_destructive and not opts.read_only
        if url and not mock:
            print(banner(opts, url.rstrip("/")), file=out, flush=True)
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
        minted = creds.throwaway(client, url, options) if revoking else None
        if minted is not None and guarded and hasattr(client, "close_session"):
            with creds.plain_errors(url):  # it only showed a throwaway can be had: no session left open
                client.close_session(url, minted.headers, timeout=opts.request_timeout)
        if revoking and minted is None:
            print(
                f"alertmock verify: not running {', '.join(revoking)}: it revokes the credential it is sent, "
                "and only a sign-in (--username/--password) can give it one of its own",
                file=out,
            )
            selected = [op for op in selected if op.label not in revoking]
            revoking = []
        given = parent_ids.merge(
            opts.set_path, parent_ids.read_ids_file(opts.ids_file, opts.api) if opts.ids_file else {}
        )
        custody = safety.plan_custody(document, every, given) if guarded else None
        # An id given as expendable (a data alert the run may delete) is not every other operation's parent.
        expendable = {n: v for aimed in (custody.expendable.values() if custody else ()) for n, v in aimed.items()}
        pinned = {name: value for name, value in given.items() if name not in expendable}
        found = parent_ids.merge(pinned, credentials.learnt)
        ids = parent_ids.merge(
            found,
            # The mock's documented fixtures first: the documents' examples are written around them.
            parent_ids.fixture_ids(client, Config.from_env().fixtures / opts.api) if mock else {},
            creds.discover(client, url, credentials, opts.request_timeout, found, expendable.values())
            if opts.discover and not mock
            else {},
        )
        used = {name for op in every for name in op.path_parameters}
        ids = {name: value for name, value in ids.items() if name in used}
        if ids:
            print(f"alertmock verify: path parameters {_describe(ids)}", file=out, flush=True)
        hints: dict[str, str] = {}
        if custody is not None:
            custody.ids = ids
            for label, line in custody.unsafe.items():
                if any(op.label == label for op in selected):
                    print(f"alertmock verify: {line}", file=out, flush=True)
                    hints[label] = line.split(": ", 1)[1]
            for label, aimed in custody.expendable.items():
                print(f"alertmock verify: {label} runs on {_describe(aimed)}, given as expendable", file=out)
        for op in selected:
            supplied = custody.supplied(op.label) if custody else set()
            missing = [n for n in op.path_parameters if n not in ids and n not in supplied]
            if missing and op.label not in hints:
                name = missing[0]
                hints[op.label] = f"no {name} known: give --set-path {name}=<id> (or `{name}:` in --ids)"
        sent = [op for op in selected if custody is None or op.label not in custody.unsafe]

        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="alertmock-verify-")))
        contract = directory / "contract.json"
        contract.write_text(json.dumps(document), encoding="utf-8")
        # The event log is a report like the others: it stays where the run says it is. Named by
        # vendor, so that one job's runs for the three vendors, side by side, read their own.
        opts.report_dir.mkdir(parents=True, exist_ok=True)
        ndjson = opts.report_dir / f"events-{opts.api}.ndjson"
        ndjson.unlink(missing_ok=True)
        ledger = directory / "created.ndjson"
        config = directory / "schemathesis.toml"
        config.write_text(config_toml(ids, opts.read_only), encoding="utf-8")
        plan = Plan(
            url=url,
            schemes=credentials.schemes,
            security={op.label: list(op.security) for op in every},
            revoking=revoking,
            client=client.__name__,
            client_options={k: v for k, v in options.items() if v is not None},
            mock_session=f"verify-{uuid.uuid4().hex[:12]}" if mock and opts.isolate_mock_sessions else None,
            second_schemes=second.schemes if second else None,
            second_options={k: v for k, v in second_options.items() if v is not None} if second_options else None,
            custody=custody.to_json() if custody else None,
            ledger=str(ledger) if custody else None,
        ).write(directory / "plan.json")
        command = schemathesis_command(opts, url, contract, sent, ndjson, config)
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "alertmock.tools.verify.hooks", PLAN_ENV: str(plan)}
        cleanup = safety.Cleanup()
        try:
            # The caller's working directory may hold a schemathesis.toml of its own: run from the temp dir.
            if capture:
                done = subprocess.run(command, env=env, cwd=directory, capture_output=True, text=True, check=False)
                out.write(done.stdout[-20000:])
                out.write(done.stderr[-5000:])
            else:
                out.flush()
                done = subprocess.run(command, env=env, cwd=directory, check=False)
        finally:
            # Also after a failure or Ctrl-C (subprocess.run has stopped Schemathesis by then).
            if custody is not None:
                headers = {op.label: credentials.for_operation(op) for op in every}
                cleanup = safety.clean_up(ledger, url, headers, opts.request_timeout, client)
                print(_cleanup_line(cleanup), file=out, flush=True)
                for line in cleanup.left:
                    print(f"alertmock verify: left behind: {line}", file=out, flush=True)
        for note in dict.fromkeys(safety.read_ledger(ledger).notes) if custody is not None else ():
            print(f"alertmock verify: {note}", file=out)
        coverage = cov.read_events(ndjson, selected)
        dead = creds.still_accepted(url, credentials, selected, ids, opts.request_timeout)
        if custody is not None and not opts.token and hasattr(client, "close_session"):
            with creds.plain_errors(url):
                client.close_session(url, credentials.headers, timeout=opts.request_timeout)  # the run's own sign-in
        if done.returncode not in (0, 1) and not coverage.errors and not coverage.failures:
            coverage.errors.append(f"Schemathesis exited with {done.returncode}")
        allowed = untested_labels(document, opts.allow_untested)
        decided = cov.verdict(coverage, allowed, dead, hints, cleanup.left)
        result = VerifyResult(decided.code, coverage, decided.reasons, done.returncode, cleanup.left)
        print(summary(result, opts.api, allowed), file=out, flush=True)
        return result


def _cleanup_line(cleanup: safety.Cleanup) -> str:
    if not cleanup.left and not cleanup.removed:
        return "alertmock verify: clean-up: nothing this run created was left to remove"
    if not cleanup.left:
        return f"alertmock verify: clean-up: the {cleanup.removed} resources this run created and kept are removed"
    return (
        f"alertmock verify: clean-up: {cleanup.removed} removed, {len(cleanup.left)} could not be: "
        "the deployment still holds them (listed below)"
    )


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
