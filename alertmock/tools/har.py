"""``alertmock import-har FILE.har --out DIR``: a browser's recorded traffic turned into fixtures.

What ``alertmock proxy --record`` does live, from a HAR file (DevTools' "Save all as HAR",
Playwright's ``record_har_path``): each exchange is located in the contract and checked as the
proxy checks it (request and answer), and the answers that carry resources and passed become
records (alertmock/proxy/recording.py). Entries for hosts other than the API's are skipped and
counted: by default the API's hosts are those with at least one entry the contract locates;
``--host`` names them.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from alertmock.app.config import Config

__all__ = ["HarImport", "add_arguments", "import_har", "main"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("har", type=Path, metavar="FILE.har", help="the HAR file (HTTP Archive 1.2)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="where the fixtures go")
    parser.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="the API's host as the HAR names it (repeatable); default: every host with an entry in the contract",
    )
    parser.add_argument("--spec", type=Path, help="root of the contract (default: the bundled openapi.yaml)")


@dataclass
class HarImport:
    """What an import did: the recorder's summary, and the entries it did not look at."""

    summary: str
    other_hosts: dict[str, int] = field(default_factory=dict)
    undocumented: int = 0
    violating: int = 0
    # Entries with no answer to record: aborted (status 0) or revalidated (304), or not HAR-shaped.
    unanswered: int = 0
    malformed: int = 0
    # "METHOD /path (status): finding" for each entry that broke the contract.
    violations: list[str] = field(default_factory=list)


def main(args: argparse.Namespace) -> int:
    config = Config.from_env().with_overrides(spec=args.spec)
    try:
        har = json.loads(args.har.read_text(encoding="utf-8"))
        entries = har["log"]["entries"]
        if not isinstance(entries, list):
            raise TypeError("log.entries is not a list")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"alertmock import-har: {args.har}: not a HAR file ({exc})", file=sys.stderr)
        return 2
    result = asyncio.run(import_har(entries, args.out, config, hosts=args.host))
    print(result.summary)
    skipped = sum(result.other_hosts.values())
    if skipped:
        by_host = ", ".join(f"{host} {count}" for host, count in sorted(result.other_hosts.items()))
        print(f"Skipped {skipped} entr{'y' if skipped == 1 else 'ies'} for other hosts ({by_host})")
    for count, why in (
        (result.undocumented, "not in the contract"),
        (result.unanswered, "without an answer to record (aborted, or 304 Not Modified)"),
        (result.malformed, "that are not HAR entries (no request URL and method, or no response status)"),
    ):
        if count:
            print(f"Skipped {count} entr{'y' if count == 1 else 'ies'} {why}")
    if result.violations:
        print("Broke the contract (not recorded):")
        for line in result.violations:
            print(f"  {line}")
    return 1 if result.violating else 0


async def import_har(
    entries: list[dict[str, Any]], out: Path, config: Config, *, hosts: list[str] | None = None
) -> HarImport:
    from alertmock.app.factory import create_runtime
    from alertmock.framework import ContractChecks, select_engine
    from alertmock.proxy.recording import new_recorder

    runtime = create_runtime(config)
    checks = ContractChecks(runtime.contract, select_engine(config.engine))
    recorder = new_recorder(runtime, out)
    located_entries = []
    result = HarImport("")
    for entry in entries:
        if not _well_formed(entry):
            result.malformed += 1
            continue
        request = entry["request"]
        url = urlsplit(request["url"])
        located = await checks.locate(_scope(request["method"], url, request.get("headers", [])))
        located_entries.append((entry, url, located))
    api_hosts = set(hosts or ()) or {url.netloc for _, url, located in located_entries if located is not None}
    for entry, url, located in located_entries:
        if url.netloc not in api_hosts:
            result.other_hosts[url.netloc] = result.other_hosts.get(url.netloc, 0) + 1
            continue
        if located is None:
            result.undocumented += 1
            continue
        request, response = entry["request"], entry["response"]
        if response["status"] in (0, 304):
            result.unanswered += 1
            continue
        findings = await located.request(_text(request.get("postData", {})))
        headers = [(_latin1(h["name"].lower()), _latin1(h["value"])) for h in response.get("headers", [])]
        body = _text(response.get("content", {}))
        method = request["method"].upper()
        findings.extend(located.checks.response(method, response["status"], headers, body))
        result.violating += bool(findings)
        result.violations.extend(
            f"{method} {unquote(url.path)} ({response['status']}): {finding.header()}" for finding in findings
        )
        recorder.observe(
            method=method,
            path=unquote(url.path),
            operation_id=located.checks.operation_id,
            params=located.scope.get("path_params", {}),
            status=response["status"],
            headers={name.decode("latin-1"): value.decode("latin-1") for name, value in headers},
            body=body,
            violations=[f.header() for f in findings],
        )
    recorder.flush(out)
    result.summary = recorder.summary(out)
    return result


def _scope(method: str, url: Any, headers: list[dict[str, str]]) -> dict[str, Any]:
    host, _, port = url.netloc.partition(":")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": url.scheme or "http",
        "server": (host, int(port) if port else (443 if url.scheme == "https" else 80)),
        "client": ("127.0.0.1", 0),
        "root_path": "",
        "method": method.upper(),
        "path": unquote(url.path),
        "raw_path": url.path.encode("latin-1"),
        "query_string": url.query.encode("latin-1"),
        # HTTP/2 pseudo-headers (":authority") are no headers of HTTP/1.1.
        "headers": [
            (_latin1(h["name"].lower()), _latin1(h["value"])) for h in headers if not h["name"].startswith(":")
        ],
    }


def _well_formed(entry: Any) -> bool:
    request, response = (entry.get("request"), entry.get("response")) if isinstance(entry, dict) else (None, None)
    return (
        isinstance(request, dict)
        and isinstance(request.get("url"), str)
        and isinstance(request.get("method"), str)
        and isinstance(response, dict)
        and isinstance(response.get("status"), int)
    )


def _latin1(value: Any) -> bytes:
    # HTTP header values are bytes; a browser's HAR may hold any text (a name with "ë" in it).
    return str(value).encode("latin-1", "replace")


def _text(content: dict[str, Any]) -> bytes:
    text = content.get("text") or ""
    if content.get("encoding") == "base64":
        return base64.b64decode(text)
    return str(text).encode("utf-8")
