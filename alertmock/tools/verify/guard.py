"""In the Schemathesis process: every change goes to the run's own resources, every create is written down.

Installed by verify's hooks module when the run has a `Custody` (a deployment, without
``--allow-destructive``). Schemathesis sends every request through ``Case.call`` (each phase, the
state machine, the checks' own probes), so its ``before_call`` and ``after_call`` hooks see them all:

- before a PUT, PATCH or DELETE, the case's path parameters are pointed at a resource the run
  created (the newest still there, or one created now through a create that links to it), or at
  the id the user gave as expendable; examples, fuzzed values and links from a list never reach
  anything else;
- after a create answers 2xx, the DELETE that undoes it (its contract link) goes into the ledger,
  which the parent process reads to clean up, even after an interruption (one flushed line each);
  a create that adds to an existing resource (a recipient to an alert) counts only when that
  resource's representation changed: adding someone already there changes nothing to undo.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import httpx

from alertmock.contract.pointer import lookup
from alertmock.tools.verify.custody import CHANGES, GONE, Custody, Link
from alertmock.tools.verify.plan import Plan

# Pages of one list read before the run, at most (each at the contract's largest page size).
MAX_PAGES = 1000
# A change refused for the state of the run's resource (409) is tried on it again after this long.
RETRY_REFUSED_AFTER_SECONDS = 1.0

# What a change's own id becomes when the run has no resource for it: nothing there to change (a UUID,
# so that a positive case stays valid for an id declared as one, and gets the documented 404).
NOTHING = "00000000-0000-4000-8000-000000000000"


def _format(template: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(str(value), safe=""))
    return template


def _evaluate(link: Link, request_path: dict[str, str], body: Any) -> dict[str, str] | None:
    """A link's path parameters from the create's request and answer, or None if one is missing."""
    values = {}
    for name, expression in link.parameters.items():
        if expression.startswith("$request.path."):
            value = request_path.get(expression.removeprefix("$request.path."))
        elif expression.startswith("$response.body#"):
            value = lookup(body, expression.removeprefix("$response.body#"))
        else:
            value = None
        if value is None or isinstance(value, dict | list):
            return None
        values[name] = str(value)
    return values


class Guard:
    def __init__(self, plan: Plan, custody: Custody, ledger: Path) -> None:
        self.plan, self.custody, self.ledger = plan, custody, ledger
        self.lock = threading.RLock()
        # Change label -> [(its path parameters, the undo path of the create that made it)], oldest first.
        self.owned: dict[str, list[tuple[dict[str, str], str]]] = {}
        self.alive: set[str] = set()
        self.before: dict[int, bytes | None] = {}
        self.preexisting: set[str] | None = None
        # The lists the run could not read before it started: it then cannot tell what is its own,
        # and creates, changes and deletes nothing (fail closed).
        self.unread: list[str] = []
        # (change label, undo path) of the run's resources whose state refused that change (409: a job
        # still queued, or already finished, cannot be stopped), and when: that change goes to another
        # resource next time, or to this one again once its state may have moved on.
        self.refused: dict[tuple[str, str], float] = {}
        self.aimed: dict[int, tuple[str, str]] = {}

    # --- the ledger ---

    def _write(self, entry: dict[str, Any]) -> None:
        with self.ledger.open("a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(entry) + "\n")
            ledger.flush()

    def note(self, line: str) -> None:
        self._write({"note": line})

    def _headers(self, label: str) -> dict[str, str]:
        accepted = self.plan.security.get(label, [])
        return next((h for scheme, h in self.plan.schemes.items() if scheme in accepted), {})

    # --- creates ---

    def _snapshot(self) -> None:
        """Every id the deployment shows before the run (its lists and reads whose parents are known).

        Some creates answer with what is already there (Matatika's subscribe, for a target one is
        already subscribed to): such an answer is never the run's own. A list that cannot be read
        (an error, a refusal) leaves the run blind to what is there: it then writes nothing."""
        seen: set[str] = set()
        for label, operation in self.custody.operations.items():
            if operation["method"] != "GET" or not all(n in self.custody.ids for n in operation["parameters"]):
                continue
            path = _format(operation["path"], self.custody.ids)
            headers = {**self._headers(label), "Accept": "application/json"}
            failure = self._read_all_pages(self.plan.url + path, headers, operation["paging"], seen)
            if failure is not None:
                self.unread.append(f"{label}: {failure}")
        self.preexisting = seen
        if self.unread:
            self.note(
                f"could not read what the deployment holds ({'; '.join(self.unread)}): the run creates, "
                "changes and deletes nothing, since it could not tell its own from what was there"
            )

    def _read_all_pages(self, url: str, headers: dict[str, str], paging: dict[str, Any], seen: set[str]) -> str | None:
        """Every page of a list (its first only, when the contract marks no paging): a record on
        page 2 is as much the deployment's as one on page 1. None once read, else what failed."""
        pages = (
            (
                {paging["page"]: n, **({paging["size"]: paging["largest"]} if "size" in paging else {})}
                for n in range(paging["first"], paging["first"] + MAX_PAGES)
            )
            if paging
            else iter([{}])
        )
        for number, query in enumerate(pages):
            try:
                answer = httpx.get(url, params=query, headers=headers, timeout=30)
                if answer.status_code == 404:
                    return None  # nothing there (its parent is not): nothing to take for the run's own
                if answer.status_code != 200:
                    # Past the last page some services refuse the page number (Tableau's 400006);
                    # a refused credential or a failure is a list not read, on any page.
                    past_the_end = number > 0 and answer.status_code in (400, 416)
                    return None if past_the_end else f"answered {answer.status_code}"
                found: set[str] = set()
                _strings(answer.json(), found)
            except (httpx.HTTPError, ValueError) as error:
                return f"{type(error).__name__}: {error}"
            # Past the last page, a list shows nothing new but its own links (`?page=N`).
            new = {value for value in found - seen if not value.startswith(("http://", "https://", "/"))}
            seen |= found
            if not new:
                return None
        return None

    def _read_parent(self, creator: str, path_parameters: dict[str, str]) -> bytes | None:
        read = self.custody.parent_read.get(creator)
        if read is None:
            return None
        path = _format(read.split(" ", 1)[1], {**self.custody.ids, **path_parameters})
        headers = {**self._headers(read), "Accept": "application/json"}
        answer = httpx.get(self.plan.url + path, headers=headers, timeout=30)
        return answer.content if answer.status_code == 200 else None

    def record(self, creator: str, path_parameters: dict[str, str], body: Any, before: bytes | None) -> bool:
        """Write down a create that answered 2xx; False when it made nothing to undo, or cannot be undone."""
        # Already there (a recipient added twice): nothing of the run's to remove.
        if (
            creator in self.custody.parent_read
            and before is not None
            and self._read_parent(creator, path_parameters) == before
        ):
            return False
        undo = self.custody.undo[creator]
        request_path = {**self.custody.ids, **path_parameters}
        values = _evaluate(undo, request_path, body)
        if values is None:
            self.note(f"{creator} created something its answer does not identify: it could not be cleaned up")
            return False
        answered = {values[n] for n, e in undo.parameters.items() if e.startswith("$response")}
        # A create that adds to a resource (a recipient to an alert) answers with what it added, which
        # was there before (a user): whether it changed anything was judged above, on the resource.
        if creator not in self.custody.parent_read and answered & (self.preexisting or set()):
            return False  # it answered with what was there before the run
        undo_path = _format(self.custody.operations[undo.target]["path"], {**request_path, **values})
        with self.lock:
            self._write({"undo": {"label": undo.target, "path": undo_path}, "created_by": creator})
            self.alive.add(undo_path)
            for link in self.custody.feeds.get(creator, []):
                own = _evaluate(link, request_path, body)
                if own is not None:
                    self.owned.setdefault(link.target, []).append((own, undo_path))
        return True

    def _provision(self, label: str) -> dict[str, str] | None:
        """Create a resource for this change through a create that links to it: its path parameters."""
        for creator in self.custody.creators.get(label, []):
            operation = self.custody.operations[creator]
            if not all(name in self.custody.ids for name in operation["parameters"]):
                continue
            parameters = {name: self.custody.ids[name] for name in operation["parameters"]}
            headers = {**self._headers(creator), "Accept": "application/json"}
            examples = operation["examples"]
            media_type = next(iter(examples), None)
            content = None
            if media_type is not None:
                if "json" not in media_type:
                    continue  # the run's own creates are sent as JSON
                headers["Content-Type"] = media_type
                content = json.dumps(examples[media_type]).encode()
            before = self._read_parent(creator, parameters)
            path = _format(operation["path"], parameters)
            try:
                answer = httpx.post(self.plan.url + path, headers=headers, content=content, timeout=30)
                body = answer.json() if 200 <= answer.status_code < 300 and answer.content else None
            except (httpx.HTTPError, ValueError):
                continue
            if body is not None and self.record(creator, parameters, body, before):
                return self._latest(label)
        return None

    def _latest(self, label: str, *, refused_before: float | None = None) -> dict[str, str] | None:
        """The newest of the run's resources for `label` that has not refused it (or that refused it
        before `refused_before`, a monotonic instant)."""
        for own, undo_path in reversed(self.owned.get(label, [])):
            refused = self.refused.get((label, undo_path))
            if undo_path in self.alive and (
                refused is None or (refused_before is not None and refused < refused_before)
            ):
                return own
        return None

    def _undo_of(self, label: str, own: dict[str, str]) -> str | None:
        return next((undo for o, undo in self.owned.get(label, []) if o == own), None)

    # --- the hooks ---

    def before_call(self, case: Any) -> None:
        label, method = case.operation.label, case.method.upper()
        with self.lock:
            if self.preexisting is None:
                self._snapshot()
        if label in self.plan.revoking and case.headers:
            # The throwaway credential it carries: should the call not revoke it, the clean-up does.
            self._write({"session": {k: v for k, v in case.headers.items() if k.lower() != "content-type"}})
        if self.unread and (method in CHANGES or (method == "POST" and label in self.custody.undo)):
            case.path_parameters = {**(case.path_parameters or {}), **self._nothing(label)}
            return
        if label in self.custody.parent_read and method == "POST":
            self.before[id(case)] = self._read_parent(label, dict(case.path_parameters or {}))
        if method not in CHANGES:
            return
        if method != case.operation.method.upper():
            # A probe of a method the path does not declare (it must answer 405): never at a real id, in
            # case the deployment does not refuse it.
            names = self.custody.operations.get(label, {}).get("parameters", [])
            unknown = [n for n in names if n not in self.custody.ids] + names[-1:]
            case.path_parameters = {**(case.path_parameters or {}), **dict.fromkeys(unknown, NOTHING)}
            return
        parameters = dict(case.path_parameters or {})
        with self.lock:
            if label in self.custody.expendable:
                aimed = self.custody.expendable[label]
            else:
                current = [(own, undo) for own, undo in self.owned.get(label, []) if undo in self.alive]
                mine = next((undo for own, undo in current if own.items() <= parameters.items()), None)
                if mine is not None:
                    self.aimed[id(case)] = (label, mine)
                    return  # already one of the run's own (a link from its create)
                # A resource that refused this change may accept it later (a queued job, once running):
                # one refused a while ago is tried again before a new one is made, which would start
                # in the state that refused.
                now = time.monotonic()
                aimed = (
                    self._latest(label)
                    or self._latest(label, refused_before=now - RETRY_REFUSED_AFTER_SECONDS)
                    or self._provision(label)
                    or self._latest(label, refused_before=now)
                    or self._nothing(label)
                )
                if aimed.get(next(iter(aimed), "")) == NOTHING:
                    self.note(f"{label}: the run could not create a resource of its own to run it on")
                undo = self._undo_of(label, aimed)
                if undo is not None:
                    self.aimed[id(case)] = (label, undo)
        parents = {
            n: self.custody.ids[n] for n in self.custody.operations[label]["parameters"] if n in self.custody.ids
        }
        case.path_parameters = {**parameters, **parents, **aimed}

    def _nothing(self, label: str) -> dict[str, str]:
        names = self.custody.operations[label]["parameters"]
        supplied = [n for n in names if n not in self.custody.ids] or names[-1:]
        return dict.fromkeys(supplied, NOTHING)

    def after_call(self, case: Any, response: Any) -> None:
        label, method, status = case.operation.label, case.method.upper(), response.status_code
        before = self.before.pop(id(case), None)
        aimed = self.aimed.pop(id(case), None)
        if aimed is not None and status == 409:
            self.refused[aimed] = time.monotonic()
        client = importlib.import_module(self.plan.client)
        if label == getattr(client, "SIGN_IN", None) and 200 <= status < 300:
            headers = client.session_headers(_data(case, response))
            if headers:
                self._write({"session": headers})  # a session the run opened: signed out at the end
        elif method == "POST" and label in self.custody.undo and 200 <= status < 300:
            self.record(label, dict(case.path_parameters or {}), _data(case, response), before)
        elif method == "DELETE" and (200 <= status < 300 or status in GONE):
            path = case.formatted_path
            with self.lock:
                if path in self.alive:
                    self.alive.discard(path)
                    self._write({"gone": path})


def _strings(data: Any, into: set[str]) -> None:
    if isinstance(data, str):
        into.add(data)
    elif isinstance(data, dict):
        for value in data.values():
            _strings(value, into)
    elif isinstance(data, list):
        for value in data:
            _strings(value, into)


def _data(case: Any, response: Any) -> Any:
    """The answer as data: JSON, or Tableau's XML read by its documented schema."""
    media_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
    try:
        if "xml" in media_type:
            from alertmock.tools.verify.xml_responses import deserialize_xml

            return deserialize_xml(SimpleNamespace(operation=case.operation), response)
        return response.json()
    except Exception:  # an unreadable answer identifies nothing; the checks report it
        return None


def install_guard(plan: Plan, custody: Custody, ledger: Path) -> Guard:
    import schemathesis

    guard = Guard(plan, custody, ledger)

    @schemathesis.hook
    def before_call(context: Any, case: Any, **kwargs: Any) -> None:
        guard.before_call(case)

    @schemathesis.hook
    def after_call(context: Any, case: Any, response: Any) -> None:
        guard.after_call(case, response)

    return guard
