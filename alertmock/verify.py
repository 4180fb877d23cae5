"""``alertmock verify``: run Schemathesis against a deployment (or the mock) for one vendor's operations.

The contract is bundled into one JSON document first (every ``$ref`` inlined by the engine's own
loader): Schemathesis resolves a ``$ref`` to an *example* inside ``spec/<vendor>.yaml`` against the
root document and fails, and the XML deserializer needs plain schemas to read attributes as typed
values. Credentials are obtained the way each vendor's clients do (Tableau sign-in, Scalingo token
exchange). Schemathesis runs as ``python -m schemathesis.cli`` in a subprocess (its own progress
output, its own reports) with this module as its hooks module (``SCHEMATHESIS_HOOKS``), which
registers the XML deserializer; its NDJSON event log is then summarised per operation and check.

Loaded as Schemathesis' hooks module, it registers the XML deserializer; in-process users call
`register_xml_deserializer()`. Schemathesis itself is imported lazily: `alertmock serve` never needs it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from alertmock import xml
from alertmock.config import DEFAULT_SPEC, Config

if TYPE_CHECKING:
    import schemathesis

XML_MEDIA_TYPES = ("application/xml", "text/xml")
# The checks that make the list: every built-in one. object_level_authorization needs two
# users' credentials and is a no-op with one; it stays on so a second credential can switch it on.
DEFAULT_PHASES = ("examples", "coverage", "fuzzing", "stateful")


# --- the contract ---------------------------------------------------------------------------------


def bundled_document(spec: Path) -> dict[str, Any]:
    """The contract rooted at ``spec`` as one JSON document without any ``$ref``."""
    from alertmock.contract import Contract

    # YAML may hold dates or other non-JSON scalars; the wire only ever sees strings for them.
    return json.loads(json.dumps(Contract(spec).resolved, default=str))


def bundle_contract(spec: Path, out: Path) -> Path:
    """Write `bundled_document` to ``out`` (for the Schemathesis CLI, which reads files)."""
    out.write_text(json.dumps(bundled_document(spec)), encoding="utf-8")
    return out


def tag_regex(api: str) -> str:
    """Every tag of the root contract is named ``<vendor>-<resource>``."""
    return f"^{api}-"


# --- tolerated checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    """A status one check must accept for one operation, because the vendor really answers it.

    Each one is listed, with this reason, in contract_tests/README.md. Never a whole check.
    """

    operation: str  # Schemathesis' "METHOD /path" name
    check: str
    statuses: tuple[str, ...]
    reason: str


TOLERANCES: tuple[Tolerance, ...] = (
    Tolerance(
        "GET /api/{api-version}/sites/{site-id}/dataAlerts",
        "positive_data_acceptance",
        ("400",),
        "Tableau answers 400 (error 400006, Invalid page number) for a pageNumber past the last page: "
        "the page count depends on the data, which no schema can express.",
    ),
)


def schemathesis_settings() -> dict[str, Any]:
    """The tolerances as Schemathesis configuration (the same for the pytest suite and the CLI)."""
    from schemathesis.config import SchemathesisConfig

    defaults = SchemathesisConfig.from_dict({}).projects.default.checks
    operations = []
    for tolerance in TOLERANCES:
        statuses = [*getattr(defaults, tolerance.check).expected_statuses, *tolerance.statuses]
        operations.append(
            {"include-name": tolerance.operation, "checks": {tolerance.check: {"expected-statuses": statuses}}}
        )
    return {"operations": operations}


def _toml(parameters: Mapping[str, str]) -> str:
    # The two shapes used here only: a [parameters] table and [[operations]] with dotted keys.
    lines = []
    if parameters:
        lines += ["[parameters]"] + [f"{json.dumps('path.' + k)} = {json.dumps(v)}" for k, v in parameters.items()]
    for operation in schemathesis_settings()["operations"]:
        lines += ["", "[[operations]]", f"include-name = {json.dumps(operation['include-name'])}"]
        for check, config in operation["checks"].items():
            lines.append(f"checks.{check}.expected-statuses = {json.dumps(config['expected-statuses'])}")
    return "\n".join(lines) + "\n"


# --- XML responses --------------------------------------------------------------------------------


def _documented_schema(operation: Any, status: int, media_type: str) -> Mapping[str, Any]:
    """The response schema the contract documents for this status and media type, or {}."""
    definition = operation.responses.find_by_status_code(status)
    if definition is None:
        return {}
    content = definition.definition.get("content") or {}
    media = content.get(media_type) or next((m for t, m in content.items() if "xml" in t), {})
    schema = media.get("schema") or {}
    # A bundled contract has no $ref left; an unbundled one gives the generic reading (no typing
    # of attribute strings), which is still well-formedness plus element structure.
    return {} if "$ref" in schema else schema


def deserialize_xml(ctx: schemathesis.DeserializationContext, response: schemathesis.Response) -> Any:
    """Tableau's XML bodies as the data their schema describes, so response_schema_conformance applies."""
    media_type = response.headers.get("content-type", ["application/xml"])[0].split(";")[0].strip().lower()
    schema = _documented_schema(ctx.operation, response.status_code, media_type)
    return xml.loads(response.content, schema)


def register_xml_deserializer() -> None:
    import schemathesis

    schemathesis.deserializer(*XML_MEDIA_TYPES)(deserialize_xml)


# --- credentials ----------------------------------------------------------------------------------


@dataclass
class Credentials:
    headers: dict[str, str] = field(default_factory=dict)
    # Path parameters learnt while signing in (Tableau's site id), used only when asked for.
    learnt: dict[str, str] = field(default_factory=dict)


def vendor_names(spec: Path = DEFAULT_SPEC) -> list[str]:
    """The vendors the contract declares (its root's ``x-alertmock.vendors``)."""
    return [v["name"] for v in _vendors(spec)]


def vendor_client(api: str, spec: Path = DEFAULT_SPEC) -> Any:
    """The vendor's client module named by the contract: ``authenticate()`` and ``MOCK_CREDENTIALS``."""
    for vendor in _vendors(spec):
        if vendor["name"] == api and vendor.get("client"):
            return importlib.import_module(vendor["client"])
    raise VerifyError(f"unknown api {api!r}: choose from {', '.join(vendor_names(spec))}")


def _vendors(spec: Path) -> list[dict[str, Any]]:
    import yaml

    root = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return list(root.get("x-alertmock", {}).get("vendors", []))


def obtain_credentials(api: str, url: str, *, spec: Path = DEFAULT_SPEC, **options: Any) -> Credentials:
    """Headers that authenticate every request, obtained as the vendor's official clients do."""
    try:
        headers, learnt = vendor_client(api, spec).authenticate(url, **options)
    except ValueError as exc:
        raise VerifyError(str(exc)) from exc
    return Credentials(headers, learnt)


class VerifyError(Exception):
    """Verification could not start (bad options, failed sign-in)."""


# --- the mock on a real socket ----------------------------------------------------------------------


@contextlib.contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port in a daemon thread; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise VerifyError("the mock did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


# --- running Schemathesis ---------------------------------------------------------------------------


@dataclass
class VerifyOptions:
    api: str
    url: str | None = None
    token: str | None = None
    username: str | None = None
    password: str | None = None
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
    use_site_from_signin: bool = False
    seed: int | None = None
    workers: int = 1
    spec: Path = DEFAULT_SPEC
    request_timeout: float = 30.0


@dataclass
class VerifyResult:
    returncode: int
    # (operation, check) -> number of distinct failing cases
    failures: Counter[tuple[str, str]]
    errors: list[str]
    tested: int

    @property
    def failed_checks(self) -> set[str]:
        return {check for _, check in self.failures}

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures and not self.errors


def schemathesis_command(
    opts: VerifyOptions, url: str, contract: Path, credentials: Credentials, ndjson: Path, config: Path | None
) -> list[str]:
    command = [sys.executable, "-m", "schemathesis.cli"]
    if config is not None:
        command += ["--config-file", str(config)]
    command += [
        "run",
        str(contract),
        "--url",
        url,
        # Include filters of different kinds add up (OR): operations, when named, replace the tag.
        *(["--include-tag-regex", tag_regex(opts.api)] if not opts.operations else []),
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
        ",".join(dict.fromkeys([*opts.reports, "ndjson"])),
        "--report-dir",
        str(opts.report_dir),
        "--report-ndjson-path",
        str(ndjson),
        # Statistics of what was generated and rejected, not failures: noise in a QA log.
        "--warnings",
        "off",
    ]
    if opts.exclude_checks:
        command += ["--exclude-checks", ",".join(opts.exclude_checks)]
    if opts.read_only:
        command += ["--include-method-regex", "^(GET|HEAD)$"]
    for name in opts.operations:
        command += ["--include-name", name]
    if opts.rate_limit:
        command += ["--rate-limit", opts.rate_limit]
    if opts.seed is not None:
        command += ["--seed", str(opts.seed)]
    for name, value in credentials.headers.items():
        command += ["--header", f"{name}: {value}"]
    return command


def _schemathesis_config(opts: VerifyOptions, credentials: Credentials, directory: Path) -> Path:
    parameters = dict(opts.set_path)
    if opts.use_site_from_signin and "site-id" in credentials.learnt:
        parameters.setdefault("site-id", credentials.learnt["site-id"])
    path = directory / "schemathesis.toml"
    path.write_text(_toml(parameters), encoding="utf-8")
    return path


def summarize(ndjson: Path) -> tuple[Counter[tuple[str, str]], list[str], int]:
    """Failures per (operation, check), errors, and the number of operations tested, from the event log."""
    failures: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str, str]] = set()
    errors: list[str] = []
    operations: set[str] = set()
    if not ndjson.exists():
        return failures, ["Schemathesis wrote no event log"], 0
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        name, payload = next(iter(event.items()))
        if name == "NonFatalError" or name == "FatalError":
            errors.append(f"{payload.get('label', '')}: {payload.get('info', {}).get('title', payload)}".strip(": "))
            continue
        if name != "ScenarioFinished":
            continue
        recorder = payload.get("recorder", {})
        label = recorder.get("label", "")
        if label.split(" ", 1)[0] in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
            operations.add(label)
        for case_checks in recorder.get("checks", {}).values():
            for check in case_checks:
                if check.get("status") != "failure":
                    continue
                info = check.get("failure_info") or {}
                failure = info.get("failure", {})
                operation = failure.get("operation") or label
                key = (operation, check["name"], failure.get("title", "") + str(info.get("code", "")))
                if key not in seen:
                    seen.add(key)
                    failures[(operation, check["name"])] += 1
    return failures, errors, len(operations)


def format_summary(result: VerifyResult, api: str) -> str:
    if result.ok:
        return f"alertmock verify: {api}: {result.tested} operations, no failures."
    lines = [f"alertmock verify: {api}: FAILED"]
    width = max((len(op) for op, _ in result.failures), default=0)
    for (operation, check), count in sorted(result.failures.items()):
        lines.append(f"  {operation:<{width}}  {check}  ({count} distinct)")
    lines += [f"  error: {error}" for error in result.errors]
    if result.returncode and not result.failures and not result.errors:
        lines.append(f"  Schemathesis exited with {result.returncode}")
    return "\n".join(lines)


def run(opts: VerifyOptions, *, out: IO[str] | None = None, app: Any = None, capture: bool = False) -> VerifyResult:
    """Verify ``opts.url`` (or the mock, or ``app`` served on a free port) and summarise the outcome."""
    out = out or sys.stdout
    client = vendor_client(opts.api, opts.spec)
    with contextlib.ExitStack() as stack:
        url = opts.url
        if app is None and opts.against_mock:
            from alertmock.app import create_app

            app = create_app(Config.from_env().with_overrides(spec=opts.spec, seed=opts.seed or 1))
        if app is not None:
            url = stack.enter_context(serve_in_thread(app))
            print(f"alertmock verify: mock serving on {url}", file=out, flush=True)
        if not url:
            raise VerifyError("give --url BASE or --against-mock")
        url = url.rstrip("/")
        defaults = client.MOCK_CREDENTIALS if (opts.against_mock or app is not None) else {}
        credentials = obtain_credentials(
            opts.api,
            url,
            spec=opts.spec,
            token=opts.token or (None if opts.username else defaults.get("token")),
            username=opts.username or defaults.get("username"),
            password=opts.password or defaults.get("password"),
            site=opts.site,
            auth_url=opts.auth_url,
            timeout=opts.request_timeout,
        )
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="alertmock-verify-")))
        contract = bundle_contract(opts.spec, directory / "contract.json")
        ndjson = directory / "events.ndjson"
        config = _schemathesis_config(opts, credentials, directory)
        command = schemathesis_command(opts, url, contract, credentials, ndjson, config)
        env = {**os.environ, "SCHEMATHESIS_HOOKS": __name__}
        # The parent's working directory may hold a schemathesis.toml of its own: run from the temp dir.
        if capture:
            done = subprocess.run(command, env=env, cwd=directory, capture_output=True, text=True, check=False)
            out.write(done.stdout[-20000:])
            out.write(done.stderr[-5000:])
        else:
            out.flush()
            done = subprocess.run(command, env=env, cwd=directory, check=False)
        failures, errors, tested = summarize(ndjson)
        result = VerifyResult(done.returncode, failures, errors, tested)
        print(format_summary(result, opts.api), file=out, flush=True)
        return result


def add_arguments(parser: Any) -> None:
    """The ``verify`` subcommand's options (kept here so cli.py only wires it)."""
    parser.add_argument("--url", help="base URL of the deployment (e.g. https://tableau.example.com)")
    # No `choices`: listing them would read the contract whenever the parser is built (--help).
    parser.add_argument("--api", required=True, help="which vendor's operations to verify (a vendor of the contract)")
    parser.add_argument("--token", help="Matatika access token, Scalingo API token, or a Tableau X-Tableau-Auth token")
    parser.add_argument("--username", help="Tableau user to sign in as (with --password)")
    parser.add_argument("--password", help="Tableau password")
    parser.add_argument("--site", default="", help="Tableau site contentUrl to sign in to (default: the default site)")
    parser.add_argument(
        "--auth-url", help="where to sign in / exchange the token, if not --url (Scalingo: https://auth.scalingo.com)"
    )
    parser.add_argument("--read-only", action="store_true", help="only GET and HEAD operations (safe for production)")
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation and phase (default 20)")
    parser.add_argument("--rate-limit", help="e.g. 100/m, or auto to honour Retry-After")
    parser.add_argument("--report", default="", help="comma-separated report formats: junit,har,html,vcr,json")
    parser.add_argument("--report-dir", type=Path, default=Path("schemathesis-report"), help="where reports go")
    parser.add_argument("--against-mock", action="store_true", help="start the mock on a free port and verify it")
    parser.add_argument(
        "--phases", default=",".join(DEFAULT_PHASES), help="comma-separated: examples,coverage,fuzzing,stateful"
    )
    parser.add_argument("--exclude-checks", default="", help="comma-separated Schemathesis checks to skip")
    parser.add_argument(
        "--operation", action="append", default=[], help='only this operation, e.g. "GET /v1/apps/{app}/alerts"'
    )
    parser.add_argument(
        "--set-path",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a path parameter to a real id of the deployment (e.g. app=my-app, site-id=...)",
    )
    parser.add_argument(
        "--site-from-signin", action="store_true", help="Tableau: fix {site-id} to the site signed in to"
    )
    parser.add_argument("--seed", type=int, help="Schemathesis seed, for a reproducible run")
    parser.add_argument("--workers", type=int, default=1, help="concurrent Schemathesis workers (default 1)")
    parser.add_argument("--spec", type=Path, default=None, help="root of the contract (default: the bundled one)")


def options_from_args(args: Any) -> VerifyOptions:
    set_path = {}
    for item in args.set_path:
        name, sep, value = item.partition("=")
        if not sep:
            raise VerifyError(f"--set-path wants NAME=VALUE, got {item!r}")
        set_path[name] = value
    return VerifyOptions(
        api=args.api,
        url=args.url,
        token=args.token,
        username=args.username,
        password=args.password,
        site=args.site,
        auth_url=args.auth_url,
        read_only=args.read_only,
        max_examples=args.max_examples,
        rate_limit=args.rate_limit,
        reports=[r.strip() for r in args.report.split(",") if r.strip()],
        report_dir=args.report_dir,
        against_mock=args.against_mock,
        phases=[p.strip() for p in args.phases.split(",") if p.strip()],
        exclude_checks=[c.strip() for c in args.exclude_checks.split(",") if c.strip()],
        operations=args.operation,
        set_path=set_path,
        use_site_from_signin=args.site_from_signin,
        seed=args.seed,
        workers=args.workers,
        spec=args.spec or Config.from_env().spec,
    )


def main(args: Any) -> int:
    try:
        result = run(options_from_args(args))
    except VerifyError as exc:
        print(f"alertmock verify: {exc}", file=sys.stderr)
        return 2
    return 0 if result.ok else 1


# Schemathesis imports its hooks module (SCHEMATHESIS_HOOKS) after itself: register there and then.
if "schemathesis" in sys.modules:
    register_xml_deserializer()
