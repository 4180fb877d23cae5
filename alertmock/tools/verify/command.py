"""The ``verify`` subcommand's options and exit codes (cli.py only wires them).

Building the parser imports nothing heavy: ``alertmock --help`` works without the verify extra.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from alertmock.app.config import Config
from alertmock.tools.verify.parents import parse_set_path
from alertmock.tools.verify.stops import ExitCode, VerifyError

if TYPE_CHECKING:
    from alertmock.tools.verify.run import VerifyOptions

DEFAULT_PHASES = ("examples", "coverage", "fuzzing", "stateful")

EPILOG = """exit codes: 0 every selected operation answered 2xx and every check passed; 1 a check failed;
2 verify could not run (options, unreachable URL, refused sign-in) or could not remove what it created;
3 an operation never answered 2xx (untested); 4 the credential was refused (most authenticated
requests got 401/403, or it no longer worked at the end)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--url", help="base URL of the deployment (e.g. https://tableau.example.com)")
    # No `choices`: listing them would read the contract whenever the parser is built (--help).
    parser.add_argument("--api", required=True, help="which vendor's operations to verify (a vendor of the contract)")
    parser.add_argument("--token", help="Matatika access token, Scalingo API token, or a Tableau X-Tableau-Auth token")
    parser.add_argument("--username", help="Tableau user to sign in as (with --password)")
    parser.add_argument("--password", help="Tableau password")
    parser.add_argument(
        "--second-token",
        help="another identity's token: object_level_authorization checks it cannot read the run's objects",
    )
    parser.add_argument("--second-username", help="Tableau: another user (with --second-password)")
    parser.add_argument("--second-password", help="Tableau: the other user's password")
    parser.add_argument("--site", default="", help="Tableau site contentUrl to sign in to (default: the default site)")
    parser.add_argument(
        "--auth-url", help="where to sign in / exchange the token, if not --url (Scalingo: https://auth.scalingo.com)"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="send only GET and HEAD (plus sign-in / token exchange)"
    )
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation and phase (default 20)")
    parser.add_argument("--rate-limit", help="e.g. 100/m, or auto to honour Retry-After")
    parser.add_argument("--report", default="", help="comma-separated report formats: junit,har,html,vcr,json,ndjson")
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=Path("schemathesis-report"),
        help="where reports go, relative to the current directory (default ./schemathesis-report)",
    )
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
        help="a path parameter's value, a real id of the deployment (e.g. app=my-app, dataset-id=...)",
    )
    parser.add_argument("--ids", type=Path, help="a YAML/JSON file of path parameter: id (flat or under the api name)")
    parser.add_argument(
        "--no-discover", action="store_true", help="do not list the deployment's resources to find parent ids"
    )
    parser.add_argument(
        "--allow-untested",
        action="append",
        default=[],
        metavar="OPERATION",
        help='accept that this operation may get no 2xx: "DELETE /v1/apps/{app}/alerts/{alert_id}" or its operationId',
    )
    parser.add_argument(
        "--allow-destructive",
        action="store_true",
        help="against --url: let PUT, PATCH, DELETE and POST touch any resource (ids given, discovered or "
        "documented), as Schemathesis alone does; default: only what the run creates, removed at the end",
    )
    parser.add_argument("--seed", type=int, help="Schemathesis seed, for a reproducible run")
    parser.add_argument("--workers", type=int, default=1, help="concurrent Schemathesis workers (default 1)")
    parser.add_argument("--spec", type=Path, default=None, help="root of the contract (default: the bundled one)")


def options_from_args(args: argparse.Namespace) -> VerifyOptions:
    from alertmock.tools.verify.run import VerifyOptions

    return VerifyOptions(
        api=args.api,
        url=args.url,
        token=args.token,
        username=args.username,
        password=args.password,
        second_token=args.second_token,
        second_username=args.second_username,
        second_password=args.second_password,
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
        set_path=parse_set_path(args.set_path),
        ids_file=args.ids,
        discover=not args.no_discover,
        allow_untested=args.allow_untested,
        allow_destructive=args.allow_destructive,
        seed=args.seed,
        workers=args.workers,
        spec=args.spec or Config.from_env().spec,
    )


def main(args: argparse.Namespace) -> int:
    from alertmock.tools.verify.run import run

    try:
        return int(run(options_from_args(args)).code)
    except VerifyError as exc:
        print(f"alertmock verify: {exc}", file=sys.stderr)
        return int(ExitCode.ERROR)
    except KeyboardInterrupt:
        # The run has removed what it created by now (run's clean-up runs on the way out).
        print("alertmock verify: interrupted", file=sys.stderr)
        return 130
