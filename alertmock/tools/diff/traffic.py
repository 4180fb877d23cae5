"""Recorded client traffic: which breaking change touches what clients actually call, and how often.

Reads a mock's or proxy's request journal (``GET /__mock/requests``, live or exported as JSON) or
a HAR file (browsers, Playwright). A change is marked with the calls its operation got and, when
it concerns a parameter or a property, how many of those calls sent (or received) it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from defusedxml import ElementTree

from alertmock.tools.diff.changes import Change
from alertmock.tools.diff.operations import path_pattern
from alertmock.tools.diff.rules import Level


class TrafficError(Exception):
    """Traffic that cannot be read (one line)."""


@dataclass
class Exchange:
    method: str
    path: str
    query: set[str] = field(default_factory=set)
    headers: set[str] = field(default_factory=set)
    request_body: str = ""
    response_body: str = ""


def from_document(data: Any) -> list[Exchange]:
    """Exchanges from a journal (``{"requests": [...]}`` or a bare list) or a HAR document."""
    if isinstance(data, dict) and isinstance(data.get("log"), dict):
        return [_from_har(entry) for entry in data["log"].get("entries") or []]
    entries = data.get("requests") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise TrafficError('expected a request journal ({"requests": [...]}) or a HAR file ({"log": ...})')
    return [_from_journal(entry) for entry in entries if isinstance(entry, dict)]


def fetch(url: str, token: str | None = None) -> list[Exchange]:
    """Every session's exchanges from a running mock or proxy at `url`."""
    import httpx

    journal = url if "/__mock/requests" in url else url.rstrip("/") + "/__mock/requests"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        answer = httpx.get(journal, params={"session": "*"}, headers=headers, timeout=30)
        answer.raise_for_status()
        return from_document(answer.json())
    except (httpx.HTTPError, ValueError) as exc:
        raise TrafficError(f"--traffic {url}: {exc}") from None


def _from_journal(entry: dict[str, Any]) -> Exchange:
    return Exchange(
        method=str(entry.get("method", "")).upper(),
        path=str(entry.get("path", "")),
        query={name for name, _ in parse_qsl(str(entry.get("query") or ""), keep_blank_values=True)},
        headers={name.lower() for name in entry.get("headers") or {}},
        request_body=str(entry.get("body") or ""),
        response_body=str((entry.get("response") or {}).get("body") or ""),
    )


def _from_har(entry: dict[str, Any]) -> Exchange:
    request, response = entry.get("request") or {}, entry.get("response") or {}
    url = urlsplit(str(request.get("url", "")))
    return Exchange(
        method=str(request.get("method", "")).upper(),
        path=url.path,
        query={name for name, _ in parse_qsl(url.query, keep_blank_values=True)},
        headers={str(h.get("name", "")).lower() for h in request.get("headers") or []},
        request_body=str((request.get("postData") or {}).get("text") or ""),
        response_body=str((response.get("content") or {}).get("text") or ""),
    )


def mark(changes: Iterable[Change], exchanges: list[Exchange]) -> None:
    """Set `traffic` on every change at WARN or above that concerns an operation."""
    parsed: dict[int, tuple[Any, Any]] = {}
    for change in changes:
        if change.level < Level.WARN or not change.operation:
            continue
        method, _, path = change.operation.partition(" ")
        pattern = path_pattern(path)
        calls = [ex for ex in exchanges if ex.method == method and pattern.match(ex.path)]
        change.traffic = {"calls": len(calls)}
        if change.subject is not None:
            change.traffic["uses"] = sum(1 for ex in calls if _uses(ex, change.subject, parsed))


def _uses(exchange: Exchange, subject: tuple[Any, ...], parsed: dict[int, tuple[Any, Any]]) -> bool:
    if subject[0] == "parameter":
        where, name = subject[1], str(subject[2])
        if where == "query":
            return name in exchange.query
        if where == "header":
            return name.lower() in exchange.headers
        return where == "path"
    if id(exchange) not in parsed:
        parsed[id(exchange)] = (_body(exchange.request_body), _body(exchange.response_body))
    body = parsed[id(exchange)][0 if subject[1] == "request" else 1]
    return _has(body, list(subject[2]))


def _body(text: str) -> Any:
    text = text.strip()
    if text.startswith("<"):
        try:
            return _element(ElementTree.fromstring(text))
        except ElementTree.ParseError:
            return None
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _element(element: Any) -> dict[str, Any]:
    # XML as the schema sees it: attributes and children by local name, repeated children a list.
    found: dict[str, Any] = {name.rpartition("}")[2]: value for name, value in element.attrib.items()}
    for child in element:
        name, value = child.tag.rpartition("}")[2], _element(child)
        if name in found:
            found[name] = (found[name] if isinstance(found[name], list) else [found[name]]) + [value]
        else:
            found[name] = value
    return found


def _has(value: Any, path: list[str]) -> bool:
    if not path:
        return value is not None
    if isinstance(value, list):
        return any(_has(item, path[1:] if path[0] == "[]" else path) for item in value)
    if path[0] == "[]":
        return _has(value, path[1:])
    return isinstance(value, dict) and path[0] in value and _has(value[path[0]], path[1:])
