"""What a run against a deployment may change, read from the contract's links; and the clean-up after it.

Against a deployment (``--url``, without ``--allow-destructive``) verify changes and deletes only
what it created itself:

- a **create** is a POST whose 2xx answer links to a DELETE (Scalingo's alert, Matatika's
  subscription and job, Tableau's recipient): every one the run makes is written down and undone
  at the end through that link;
- a **change** (PUT, PATCH, DELETE) some create links to runs only on what the run created: the
  Schemathesis process (`guard`) points every case of it at a resource of the run's own, creating
  one when it has none;
- a change no create links to (Tableau's data alerts are created in Tableau's UI) runs only on an
  id the user gave for it as expendable (``--set-path data-alert-id=…``), and a create the contract
  gives no way to delete (Matatika's alert) does not run: both are *unsafe*, named with the option
  that would run them, and untested in the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from alertmock.tools.verify.document import Operation, labels_by_operation_id

CHANGES = ("PUT", "PATCH", "DELETE")
GONE = (404, 410)


@dataclass(frozen=True)
class Link:
    target: str  # the linked operation's label
    parameters: dict[str, str]  # path parameter -> runtime expression


@dataclass
class Custody:
    """The safety plan of one run, as the Schemathesis process receives it (JSON-able)."""

    # Create label -> its undo: the DELETE it links to.
    undo: dict[str, Link] = field(default_factory=dict)
    # Create label -> the changes it links to (their own ids come from its answers).
    feeds: dict[str, list[Link]] = field(default_factory=dict)
    # Change label -> the creates that link to it, in the contract's order.
    creators: dict[str, list[str]] = field(default_factory=dict)
    # Change label -> the path parameter values the user gave as expendable for it.
    expendable: dict[str, dict[str, str]] = field(default_factory=dict)
    # Label -> the one line saying why it does not run, and what would run it.
    unsafe: dict[str, str] = field(default_factory=dict)
    # Create label -> the GET of the resource it adds to (Tableau's alert for a recipient), if any.
    parent_read: dict[str, str] = field(default_factory=dict)
    # Path parameters the run pins for every operation (parents: site, app, dataset...).
    ids: dict[str, str] = field(default_factory=dict)
    # Label -> (path template, method, path parameters, request body examples by media type).
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def supplied(self, label: str) -> set[str]:
        """Path parameters the run supplies itself for this operation (its own ids, expendable ones)."""
        names = set(self.expendable.get(label, {}))
        for creator in self.creators.get(label, []):
            for link in self.feeds.get(creator, []):
                if link.target == label:
                    names |= {n for n, expression in link.parameters.items() if expression.startswith("$response")}
        return names

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Custody:
        custody = cls(**{k: v for k, v in data.items() if k not in ("undo", "feeds")})
        custody.undo = {label: Link(**link) for label, link in data.get("undo", {}).items()}
        custody.feeds = {label: [Link(**link) for link in links] for label, links in data.get("feeds", {}).items()}
        return custody


def _links(document: Mapping[str, Any], operation: Operation) -> list[Link]:
    """The operation's 2xx links, to operations named by operationId."""
    by_id = labels_by_operation_id(document)
    definition = document["paths"][operation.path][operation.method.lower()]
    found = []
    for status, response in definition.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        for link in (response.get("links") or {}).values():
            target = by_id.get(link.get("operationId", ""))
            if target:
                found.append(Link(target, {k: str(v) for k, v in (link.get("parameters") or {}).items()}))
    return found


def _paging(document: Mapping[str, Any], operation: Operation) -> dict[str, Any]:
    """A list's paging query parameters, as the contract marks them (``x-alertmock-paging``):
    ``{"page": name, "first": n, "size": name, "largest": n}``, or {} for an answer of one page."""
    item = document["paths"][operation.path]
    parameters = [*item.get("parameters", []), *item[operation.method.lower()].get("parameters", [])]
    marked = {p["x-alertmock-paging"]: p for p in parameters if p.get("in") == "query" and "x-alertmock-paging" in p}
    if "page" not in marked:
        return {}
    page, size = marked["page"], marked.get("size")
    paging = {"page": page["name"], "first": int(page.get("schema", {}).get("minimum", 0))}
    if size is not None:
        schema = size.get("schema", {})
        paging.update(size=size["name"], largest=int(schema.get("maximum", schema.get("default", 100))))
    return paging


def _examples(document: Mapping[str, Any], operation: Operation) -> dict[str, Any]:
    """The request body's first example per media type (JSON first), for creating a resource of the run's own."""
    definition = document["paths"][operation.path][operation.method.lower()]
    content = (definition.get("requestBody") or {}).get("content") or {}
    found = {}
    for media_type in sorted(content, key=lambda t: "json" not in t):
        media = content[media_type]
        if "example" in media:
            found[media_type] = media["example"]
        elif media.get("examples"):
            found[media_type] = next(iter(media["examples"].values())).get("value")
    return found


def plan_custody(document: Mapping[str, Any], operations: Iterable[Operation], given: Mapping[str, str]) -> Custody:
    """Which operations run how against a deployment. ``given``: the ids the user named (--set-path, --ids).

    The run sets ``ids`` (the parents every operation works under) once it has found them."""
    chosen = list(operations)
    labels = {op.label: op for op in chosen}
    custody = Custody()
    for op in chosen:
        custody.operations[op.label] = {
            "path": op.path,
            "method": op.method,
            "parameters": list(op.path_parameters),
            "examples": _examples(document, op) if op.method == "POST" else {},
            "paging": _paging(document, op) if op.method == "GET" else {},
        }
    undeletable: set[str] = set()
    for op in chosen:
        if op.method != "POST":
            continue
        links = _links(document, op)
        changes = [link for link in links if link.target.split(" ", 1)[0] in CHANGES]
        deletes = [link for link in changes if link.target.startswith("DELETE ")]
        if deletes:
            custody.undo[op.label] = deletes[0]
            custody.feeds[op.label] = [link for link in changes if link.target in labels]
            parent = op.path.rsplit("/", 1)[0]
            if parent != op.path and "get" in document["paths"].get(parent, {}):
                custody.parent_read[op.label] = f"GET {parent}"
        elif changes:
            undeletable.add(op.label)
            custody.unsafe[op.label] = (
                f"{op.label}: not run: what it creates cannot be deleted through the API, "
                "so the run could not clean it up (--allow-destructive runs it)"
            )
    for op in chosen:
        if op.method not in CHANGES:
            continue
        creators = [c for c, links in custody.feeds.items() if any(link.target == op.label for link in links)]
        if creators:
            custody.creators[op.label] = creators
            continue
        target = op.path_parameters[-1] if op.path_parameters else ""
        fed_only_by_undeletable = any(
            link.target == op.label for c in undeletable for link in _links(document, labels[c])
        )
        # Checked before an id given: what only an undeletable create makes is never expendable,
        # even when its id was given to read it (`--set-path alert-id=` for the GET).
        if fed_only_by_undeletable:
            custody.unsafe[op.label] = (
                f"{op.label}: not run: it changes what only a create the API cannot undo makes "
                "(--allow-destructive runs it)"
            )
        elif target and target in given:
            # No create links to it: only an id the user gave for its target may be changed or deleted.
            custody.expendable[op.label] = {target: given[target]}
        else:
            custody.unsafe[op.label] = (
                f"{op.label}: not run: the API cannot create one for the run to change, and the run leaves "
                f"what it did not create alone: --set-path {target}=<one you can lose> or --allow-destructive"
            )
    return custody


# --- the clean-up: every create the run made, undone ----------------------------------------------


@dataclass
class Cleanup:
    removed: int = 0
    left: list[str] = field(default_factory=list)  # one line per resource the run could not remove


@dataclass
class Ledger:
    creates: list[dict[str, Any]]  # not removed by a later DELETE of the run, oldest first
    sessions: list[dict[str, str]]  # credentials of the sessions the run opened (signed in)
    notes: list[str]


def read_ledger(path: Path) -> Ledger:
    """What the Schemathesis process wrote down: creates still there, sessions opened, notes."""
    alive: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    sessions: list[dict[str, str]] = []
    if not path.exists():
        return Ledger([], sessions, notes)
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by an interruption
        if "undo" in entry:
            alive.pop(entry["undo"]["path"], None)
            alive[entry["undo"]["path"]] = entry
        elif "gone" in entry:
            alive.pop(entry["gone"], None)
        elif "note" in entry:
            notes.append(entry["note"])
        elif "session" in entry and entry["session"] not in sessions:
            sessions.append(entry["session"])
    return Ledger(list(alive.values()), sessions, notes)


def clean_up(
    ledger: Path, url: str, headers_for: Mapping[str, dict[str, str]], timeout: float, client: ModuleType
) -> Cleanup:
    """Undo every create the run made and did not delete itself, newest first (children before parents);
    then close the sessions it opened (the vendor client's ``close_session``)."""
    written = read_ledger(ledger)
    result = Cleanup()
    close = getattr(client, "close_session", None)
    for session in written.sessions if close else ():
        try:
            close(url, session, timeout=timeout)
        except httpx.HTTPError:
            continue  # a session left open expires; nothing the run made stays for good
    for entry in reversed(written.creates):
        path = entry["undo"]["path"]
        headers = headers_for.get(entry["undo"]["label"], {})
        try:
            answer = httpx.delete(url + path, headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            result.left.append(f"DELETE {path}: {exc or type(exc).__name__}")
            continue
        if 200 <= answer.status_code < 300 or answer.status_code in GONE:
            result.removed += 1
        else:
            result.left.append(f"DELETE {path} answered {answer.status_code}")
    return result
