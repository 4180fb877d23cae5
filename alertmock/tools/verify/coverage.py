"""What the run actually tested, per operation, read from Schemathesis' NDJSON event log; and the verdict.

An operation that never answered 2xx is *untested*: every check on it judged error answers only.
A run whose authenticated positive cases mostly got 401/403 tested the deployment's login, not its
API: its credential was wrong, stripped or revoked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from alertmock.tools.verify.document import Operation
from alertmock.tools.verify.stops import ExitCode


@dataclass
class OperationCoverage:
    label: str
    requests: int = 0
    ok: int = 0  # 2xx
    refused: int = 0  # 401 and 403
    not_found: int = 0
    other_4xx: int = 0
    server_errors: int = 0
    failed_checks: Counter[str] = field(default_factory=Counter)  # check -> distinct failures

    def count(self, status: int) -> None:
        self.requests += 1
        if 200 <= status < 300:
            self.ok += 1
        elif status in (401, 403):
            self.refused += 1
        elif status == 404:
            self.not_found += 1
        elif 400 <= status < 500:
            self.other_4xx += 1
        elif status >= 500:
            self.server_errors += 1


@dataclass
class Coverage:
    operations: dict[str, OperationCoverage]
    errors: list[str]
    # Positive cases sent with the run's credential to an operation that requires one.
    authenticated: int = 0
    authenticated_refused: int = 0

    @property
    def failures(self) -> dict[tuple[str, str], int]:
        return {(op.label, check): n for op in self.operations.values() for check, n in op.failed_checks.items()}

    def untested(self, allowed: Iterable[str] = ()) -> list[str]:
        accepted = set(allowed)
        return [label for label, op in self.operations.items() if op.ok == 0 and label not in accepted]

    @property
    def credential_refused(self) -> bool:
        return self.authenticated > 0 and self.authenticated_refused * 2 > self.authenticated


def read_events(ndjson: Path, selected: list[Operation]) -> Coverage:
    """Count each interaction under the operation of its case (probes of undeclared methods under none)."""
    coverage = Coverage({op.label: OperationCoverage(op.label) for op in selected}, [])
    secured = {op.label for op in selected if op.secured}
    if not ndjson.exists():
        coverage.errors.append("Schemathesis wrote no event log")
        return coverage
    seen: set[tuple[str, str, str]] = set()
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        name, payload = next(iter(json.loads(line).items()))
        if name in ("NonFatalError", "FatalError"):
            info = payload.get("info") or {}
            message = info.get("title") or info.get("message") or payload.get("value") or name
            coverage.errors.append(f"{payload.get('label', '')}: {message}".strip(": "))
        elif name == "ScenarioFinished":
            recorder = payload.get("recorder", {})
            _count_interactions(coverage, recorder, secured)
            _count_failures(coverage, recorder, seen)
    return coverage


def _count_interactions(coverage: Coverage, recorder: dict, secured: set[str]) -> None:
    cases = recorder.get("cases", {})
    checked = recorder.get("checks", {})
    for case_id, interaction in recorder.get("interactions", {}).items():
        # Only the generated cases, which the checks judged: not the checks' own probes (ignored_auth
        # sends each request again without a credential, and those 401s say nothing about coverage).
        if case_id not in checked:
            continue
        case = (cases.get(case_id) or {}).get("value") or {}
        label = f"{case.get('method', '')} {case.get('path', '')}"
        response = interaction.get("response") or {}
        operation = coverage.operations.get(label)
        if operation is None or "status_code" not in response:
            continue
        status = int(response["status_code"])
        operation.count(status)
        generation = (case.get("meta") or {}).get("generation") or {}
        if label in secured and generation.get("mode") == "positive":
            coverage.authenticated += 1
            coverage.authenticated_refused += status in (401, 403)


def _count_failures(coverage: Coverage, recorder: dict, seen: set[tuple[str, str, str]]) -> None:
    label = recorder.get("label", "")
    for case_checks in recorder.get("checks", {}).values():
        for check in case_checks:
            if check.get("status") != "failure":
                continue
            info = check.get("failure_info") or {}
            failure = info.get("failure", {})
            operation = failure.get("operation") or label
            key = (operation, check["name"], failure.get("title", "") + str(info.get("code", "")))
            if key in seen:
                continue
            seen.add(key)
            target = coverage.operations.setdefault(operation, OperationCoverage(operation))
            target.failed_checks[check["name"]] += 1


def table(coverage: Coverage, allowed: Iterable[str] = ()) -> str:
    """One line per operation: requests, answers by class, failed checks, and whether it was tested."""
    accepted = set(allowed)
    header = ("operation", "requests", "2xx", "401/403", "404", "4xx other", "5xx", "failed checks", "")
    rows = [header]
    for op in coverage.operations.values():
        if op.failed_checks:
            verdict = "FAILED"
        elif op.ok:
            verdict = "ok"
        else:
            verdict = "untested (allowed)" if op.label in accepted else "UNTESTED"
        checks = ", ".join(f"{c} x{n}" for c, n in sorted(op.failed_checks.items())) or "-"
        counts = (op.requests, op.ok, op.refused, op.not_found, op.other_4xx, op.server_errors)
        rows.append((op.label, *map(str, counts), checks, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:7], widths[1:7], strict=True))]
        lines.append("  " + "  ".join([*cells, row[7].ljust(widths[7]), row[8]]).rstrip())
    return "\n".join(lines)


@dataclass
class Verdict:
    code: ExitCode
    reasons: list[str]


def verdict(
    coverage: Coverage,
    allowed: Iterable[str] = (),
    dead_credential: str | None = None,
    hints: Mapping[str, str] | None = None,
    left_behind: Iterable[str] = (),
) -> Verdict:
    """The exit code (the most serious reason wins) and one line per reason.

    ``hints``: per operation, why it may have gone untested and what would reach it; ``left_behind``:
    what the run created and could not remove (the deployment is not as it was)."""
    hints = hints or {}
    reasons: list[tuple[ExitCode, str]] = []
    for (operation, check), n in sorted(coverage.failures.items()):
        reasons.append((ExitCode.FAILED, f"{operation}: {check} failed ({n} distinct)"))
    for error in dict.fromkeys(coverage.errors):
        reasons.append((ExitCode.ERROR, f"error: {error}"))
    if coverage.credential_refused:
        reasons.append(
            (
                ExitCode.CREDENTIAL_REFUSED,
                f"{coverage.authenticated_refused} of {coverage.authenticated} authenticated requests were refused "
                "(401/403): the credential is wrong or was revoked",
            )
        )
    if dead_credential:
        reasons.append((ExitCode.CREDENTIAL_REFUSED, dead_credential))
    for line in left_behind:
        reasons.append((ExitCode.ERROR, f"error: the run could not remove what it created: {line}"))
    for label in coverage.untested(allowed):
        hint = f"; {hints[label]}" if label in hints else ""
        reasons.append((ExitCode.UNTESTED, f"{label}: untested (no 2xx answer; --allow-untested to accept){hint}"))
    if not reasons:
        return Verdict(ExitCode.OK, [])
    order = [ExitCode.FAILED, ExitCode.ERROR, ExitCode.CREDENTIAL_REFUSED, ExitCode.UNTESTED]
    code = min((code for code, _ in reasons), key=order.index)
    return Verdict(code, [reason for _, reason in reasons])
