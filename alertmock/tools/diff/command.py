"""``alertmock diff``'s options, and the run: read both sides, compare, judge, mark, print, exit.

Exit status: 1 when a change at or above ``--fail-on`` remains, 0 otherwise, 2 when a side (or a
policy or traffic file) cannot be read, said in one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from alertmock.tools.diff import policy, traffic
from alertmock.tools.diff.changes import Change
from alertmock.tools.diff.compare import compare, version_not_bumped
from alertmock.tools.diff.loading import SourceError, load_side
from alertmock.tools.diff.reporters import FORMATS
from alertmock.tools.diff.rules import RULES, Level


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "base",
        metavar="BASE",
        nargs="?",
        help="the contract before: a root document, or GITREF:path (main:openapi.yaml)",
    )
    parser.add_argument("revision", metavar="REVISION", nargs="?", help="the contract after, the same way")
    parser.add_argument(
        "--rules", action="store_true", help="list every rule (id, level, direction, area, kind) and exit"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    parser.add_argument(
        "--fail-on",
        choices=["ERR", "WARN", "INFO"],
        default="ERR",
        type=str.upper,
        help="exit 1 when a change at or above this level is found (default ERR)",
    )
    parser.add_argument(
        "--severity", type=Path, metavar="FILE", help="file of 'RULE-ID LEVEL' lines overriding the rules' levels"
    )
    parser.add_argument(
        "--ignore", type=Path, metavar="FILE", help="YAML list of accepted changes: {id, operation, location, reason}"
    )
    found = parser.add_mutually_exclusive_group()
    found.add_argument(
        "--traffic", metavar="URL", help="a running mock or proxy whose request journal shows what clients call"
    )
    found.add_argument(
        "--traffic-file", type=Path, metavar="FILE", help="an exported request journal (JSON) or a HAR file"
    )
    parser.add_argument(
        "--admin-token", metavar="TOKEN", help="the --traffic mock's admin token (env ALERTMOCK_ADMIN_TOKEN)"
    )


def main(args: argparse.Namespace, out: TextIO | None = None, cwd: Path | None = None) -> int:
    out = out or sys.stdout
    if args.rules:
        out.write(rule_table())
        return 0
    if args.revision is None:
        print("alertmock diff: needs BASE and REVISION (or --rules)", file=sys.stderr)
        return 2
    try:
        changes = run(args, cwd)
    except (SourceError, policy.PolicyError, traffic.TrafficError) as exc:
        print(f"alertmock diff: {exc}", file=sys.stderr)
        return 2
    out.write(FORMATS[args.format](changes))
    return 1 if any(change.level >= Level[args.fail_on] for change in changes) else 0


def rule_table() -> str:
    """The rules as a severity file's author needs them: one per line, grouped by direction."""
    rules = sorted(RULES.values(), key=lambda rule: (rule.direction, rule.area, rule.id))
    lines = [f"{'id':<44} {'level':<5} {'direction':<9} {'area':<12} {'kind':<12} summary"]
    lines += [f"{r.id:<44} {r.level.name:<5} {r.direction:<9} {r.area:<12} {r.kind:<12} {r.summary}" for r in rules]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, cwd: Path | None = None) -> list[Change]:
    base, rev = load_side(args.base, cwd), load_side(args.revision, cwd)
    levels = policy.read_severity(_at(cwd, args.severity)) if args.severity else {}
    ignores = policy.read_ignores(_at(cwd, args.ignore)) if args.ignore else []
    try:
        compared = compare(base, rev)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # What load_side checks is the document's frame; a malformed part deeper down (a parameter
        # that is a string, `security: null`) is found here, and is the reader's mistake, not a diff.
        raise SourceError(f"not a valid OpenAPI 3 document ({type(exc).__name__}: {exc})") from None
    changes = policy.apply(compared, levels, ignores)
    if any(change.level == Level.ERR for change in changes):
        version = version_not_bumped(base, rev)
        if version is not None:
            changes += policy.apply([version], levels, ignores)
    exchanges = _exchanges(args, cwd)
    if exchanges is not None:
        traffic.mark(changes, exchanges)
    return changes


def _at(cwd: Path | None, path: Path) -> Path:
    """A file named on the command line, from the directory the diff runs in."""
    return path if cwd is None else cwd / path


def _exchanges(args: argparse.Namespace, cwd: Path | None) -> list[traffic.Exchange] | None:
    if args.traffic_file:
        try:
            return traffic.from_document(json.loads(_at(cwd, args.traffic_file).read_text(encoding="utf-8")))
        except OSError as exc:
            raise traffic.TrafficError(f"--traffic-file {args.traffic_file}: {exc.strerror}") from None
        except ValueError as exc:
            raise traffic.TrafficError(f"--traffic-file {args.traffic_file}: not JSON ({exc})") from None
    if args.traffic:
        from alertmock.app.config import Config

        return traffic.fetch(args.traffic, args.admin_token or Config.from_env().admin_token)
    return None
