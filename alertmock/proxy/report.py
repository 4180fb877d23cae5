"""The proxy's summary per operation: as JSON for the control API, as text on exit, as JUnit for CI.

In JUnit terms each operation is a test case and each kind of finding one failure of it, so a CI
page lists the operations the traffic reached and which of them drifted from the contract.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from alertmock.proxy.ledger import Tally

__all__ = ["format_summary", "summary_json", "write_junit"]


def summary_json(tallies: dict[str, Tally]) -> list[dict[str, Any]]:
    return [
        {
            "operation": name,
            "exchanges": tally.exchanges,
            "violating_exchanges": tally.violating,
            "violations": dict(sorted(tally.kinds.items())),
        }
        for name, tally in tallies.items()
    ]


def format_summary(tallies: dict[str, Tally]) -> str:
    exchanges = sum(t.exchanges for t in tallies.values())
    violating = sum(t.violating for t in tallies.values())
    lines = [f"alertmock proxy: {exchanges} exchange(s), {violating} broke the contract"]
    if not tallies:
        return lines[0]
    width = max(len(name) for name in tallies)
    lines.append(f"  {'operation':<{width}}  exchanges  violations by kind")
    for name, tally in tallies.items():
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(tally.kinds.items())) or "-"
        lines.append(f"  {name:<{width}}  {tally.exchanges:>9}  {kinds}")
    return "\n".join(lines)


def write_junit(tallies: dict[str, Tally], path: Path) -> None:
    failures = sum(1 for t in tallies.values() if t.kinds)
    suite = ET.Element(
        "testsuite",
        name="alertmock proxy",
        tests=str(len(tallies)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for name, tally in tallies.items():
        case = ET.SubElement(suite, "testcase", classname="alertmock.proxy", name=name)
        for kind, count in sorted(tally.kinds.items()):
            failure = ET.SubElement(case, "failure", type=kind, message=f"{count} {kind} violation(s)")
            failure.text = f"{count} of {tally.exchanges} exchange(s) had {kind} violations (GET /__mock/violations)"
        ET.SubElement(case, "system-out").text = f"{tally.exchanges} exchange(s), {tally.violating} violating"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = ET.Element("testsuites", tests=str(len(tallies)), failures=str(failures))
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
