"""``alertmock proxy``: its options, and the run (uvicorn, then the summary and the report on exit)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from alertmock.app.config import Config

if TYPE_CHECKING:
    from alertmock.proxy.forwarding import Upstreams

__all__ = ["add_arguments", "main", "vendor_flags"]

_VENDOR_FLAG = re.compile(r"^--upstream-([A-Za-z0-9_]+)(=.*)?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The vendors are the contract's (`--spec`); the parser lists none, so that building it reads
    # no file: `--upstream-tableau URL` reaches it as `--upstream tableau=URL` (`vendor_flags`).
    parser.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="[VENDOR=]URL",
        help="base URL of the real service, for every vendor; --upstream-VENDOR URL (or --upstream VENDOR=URL) "
        "for one vendor of the contract, e.g. --upstream-tableau https://tableau.example.com",
    )
    parser.add_argument(
        "--fail-on-violation",
        action="store_true",
        help="answer a violating exchange with 502 and a problem+json body naming the violations",
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        type=Path,
        help="turn answers that carry resources (gets and lists that passed the contract) into fixtures in DIR "
        "(<vendor>/<kind>.json), written on exit and on POST /__mock/record/flush; serve them with "
        "alertmock serve --fixtures DIR",
    )
    parser.add_argument(
        "--report",
        nargs=2,
        metavar=("junit", "PATH"),
        help="on exit, also write the summary per operation as a JUnit XML file",
    )


def vendor_flags(argv: Sequence[str]) -> list[str]:
    """`argv` with each ``--upstream-VENDOR URL`` (or ``--upstream-VENDOR=URL``) as ``--upstream VENDOR=URL``."""
    out: list[str] = []
    items = iter(argv)
    for item in items:
        flag = _VENDOR_FLAG.match(item)
        if flag is None:
            out.append(item)
            continue
        url = flag.group(2)[1:] if flag.group(2) else next(items, "")
        out += ["--upstream", f"{flag.group(1)}={url}"]
    return out


def upstreams_from(values: Sequence[str], vendors: Sequence[str]) -> Upstreams:
    """`--upstream` values: a URL for every vendor, or ``VENDOR=URL`` for one. Raises ValueError."""
    from alertmock.proxy.forwarding import Upstreams  # httpx: only `alertmock proxy` needs it

    default: str | None = None
    by_vendor: dict[str, str] = {}
    for value in values:
        name, _, url = value.partition("=")
        if url and "/" not in name and ":" not in name:
            if name not in vendors:
                raise ValueError(f"--upstream-{name}: the contract's vendors are {', '.join(vendors)}")
            by_vendor[name] = url
        elif default is not None:
            raise ValueError("--upstream given twice without a vendor")
        else:
            default = value
    return Upstreams(default=default, by_vendor=by_vendor)


def main(args: argparse.Namespace, config: Config) -> int:
    """Serves until interrupted; exits 1 if any exchange broke the contract (2 on bad options)."""
    import uvicorn

    from alertmock.app.gc_tuning import tune_for_serving
    from alertmock.contract.document import ContractError
    from alertmock.controls.admin_token import ensure_admin_token
    from alertmock.layers.edge import log_requests_to
    from alertmock.proxy.app import create_proxy_app
    from alertmock.proxy.middleware import ProxySettings
    from alertmock.proxy.report import format_summary, write_junit
    from alertmock.tools.verify.document import vendor_names

    if args.report and args.report[0] != "junit":
        print(f"alertmock proxy: unknown report format {args.report[0]!r} (junit)", file=sys.stderr)
        return 2
    vendors = vendor_names(config.spec)
    try:
        upstreams = upstreams_from(args.upstream, vendors)
    except ValueError as exc:
        print(f"alertmock proxy: {exc}", file=sys.stderr)
        return 2
    config, generated_token = ensure_admin_token(config)
    try:
        app = create_proxy_app(
            config, ProxySettings(upstreams, fail_on_violation=args.fail_on_violation, record=args.record)
        )
    except ContractError as exc:
        print(f"alertmock proxy: {exc}", file=sys.stderr)
        return 2
    if app.engine.notice:
        print(app.engine.notice, flush=True)
    routes = ", ".join(f"{name} -> {upstreams.for_vendor(name) or '(none)'}" for name in vendors)
    print(f"alertmock proxy on http://{config.host}:{config.port}  ({routes}; controls: /__mock)", flush=True)
    if generated_token:
        print(f"Admin token of the control API (--host is not loopback; --admin-token sets one): {generated_token}")
    if config.journal_secrets == "show":
        from alertmock.contract.redaction import SHOWN_WARNING

        print(SHOWN_WARNING, flush=True)
    if not config.quiet:
        log_requests_to(sys.stdout)
    tune_for_serving()
    # The upstream's own Date and Server headers go back to the client, not uvicorn's.
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
    )
    tallies = app.runtime.violations.summary()  # type: ignore[attr-defined]
    print(format_summary(tallies), flush=True)
    if app.runtime.recorder is not None:
        print(app.runtime.recorder.summary(args.record), flush=True)
    if args.report:
        write_junit(tallies, Path(args.report[1]))
        print(f"JUnit report: {args.report[1]}", flush=True)
    return 1 if any(tally.violating for tally in tallies.values()) else 0
