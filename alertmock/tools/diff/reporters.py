"""How a reviewer reads the changes: text, markdown, JSON, JUnit or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, tostring

from alertmock.tools.diff.changes import Change
from alertmock.tools.diff.rules import Level


def ordered(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by operation, the groups with the worst change first, ERR first inside each."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.operation, []).append(change)
    for group in groups.values():
        group.sort(key=lambda change: -change.level)
    return sorted(groups.items(), key=lambda item: (-max(c.level for c in item[1]), item[0] == "", item[0]))


def _counts(changes: list[Change]) -> str:
    counts = {level: sum(1 for c in changes if c.level == level) for level in reversed(Level)}
    return ", ".join(f"{n} {level.name}" for level, n in counts.items())


def _traffic(change: Change) -> str:
    if change.traffic is None:
        return ""
    calls, uses = change.traffic["calls"], change.traffic.get("uses")
    if not calls:
        return "no recorded call"
    text = f"{calls} recorded call{'s' * (calls != 1)}"
    return text + (f", {uses} of them using it" if uses is not None else "")


def _where(change: Change) -> str:
    return f"{change.file}:{change.line}" if change.file else ""


def text(changes: list[Change]) -> str:
    if not changes:
        return "alertmock diff: no changes\n"
    lines = [f"alertmock diff: {len(changes)} changes ({_counts(changes)})"]
    for operation, group in ordered(changes):
        lines += ["", operation or "the contract"]
        for change in group:
            traffic = _traffic(change)
            lines.append(f"  {change.level.name:<4} {change.id}  {change.location}: {change.message}")
            lines.append(f"       at {_where(change)}" + (f"; traffic: {traffic}" if traffic else ""))
    return "\n".join(lines) + "\n"


def markdown(changes: list[Change]) -> str:
    if not changes:
        return "### alertmock diff\n\nNo changes to the contract's meaning.\n"
    lines = [f"### alertmock diff: {_counts(changes)}", ""]
    show_traffic = any(c.traffic is not None for c in changes)
    header = "| level | rule | where | change | file |" + (" traffic |" if show_traffic else "")
    for operation, group in ordered(changes):
        lines += [f"#### `{operation}`" if operation else "#### the contract", "", header]
        lines.append("|---" * (5 + show_traffic) + "|")
        for c in group:
            row = f"| {c.level.name} | `{c.id}` | {_cell(c.location)} | {_cell(c.message)} | `{_where(c)}` |"
            lines.append(row + (f" {_traffic(c)} |" if show_traffic else ""))
        lines.append("")
    return "\n".join(lines)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def as_json(changes: list[Change]) -> str:
    ordered_changes = [c for _, group in ordered(changes) for c in group]
    return json.dumps({"changes": [c.as_json() for c in ordered_changes]}, indent=2) + "\n"


def junit(changes: list[Change]) -> str:
    suites = Element("testsuites", name="alertmock diff")
    for operation, group in ordered(changes):
        failing = [c for c in group if c.level == Level.ERR]
        suite = SubElement(suites, "testsuite", name=operation or "the contract", tests=str(len(group)))
        suite.set("failures", str(len(failing)))
        for change in group:
            case = SubElement(
                suite, "testcase", name=f"{change.id}: {change.location}", classname=operation or "contract"
            )
            case.set("file", change.file or "")
            case.set("line", str(change.line or ""))
            kind = "failure" if change.level == Level.ERR else "system-out"
            detail = SubElement(case, kind)
            if kind == "failure":
                detail.set("type", change.id)
                detail.set("message", change.message)
            detail.text = f"{change.level.name} {change.message} ({_where(change)}) {_traffic(change)}".strip()
    return tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


_ANNOTATION = {Level.ERR: "error", Level.WARN: "warning", Level.INFO: "notice"}


def github(changes: list[Change]) -> str:
    lines = []
    for operation, group in ordered(changes):
        for c in group:
            place = f" file={c.file},line={c.line}," if c.file else " "
            title = _escape(f"{c.id} ({operation or 'contract'})", property_=True)
            message = _escape(f"{c.location}: {c.message}" + (f" [traffic: {_traffic(c)}]" if c.traffic else ""))
            lines.append(f"::{_ANNOTATION[c.level]}{place}title={title}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def _escape(value: str, property_: bool = False) -> str:
    # GitHub's workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_ else value


FORMATS: dict[str, Callable[[list[Change]], str]] = {
    "text": text,
    "markdown": markdown,
    "json": as_json,
    "junit": junit,
    "github": github,
}
