"""Recording: answers that carry resources, turned back into the fixtures' records.

The contract says which answers carry records: a response's ``x-alertmock.records`` names the
kind and a JSON pointer to the item (an object) or items (an array) in the answer's data (for
XML, the data the schema's ``xml`` objects read it as). The vendor's ``recorder`` (named in the
root document's ``x-alertmock.vendors``) turns each item back into records: the item's own, and
those it needs to be served (its app, site, owner, ...), so the engine knows no vendor's form.

Records merge by kind and id, the latest answer winning; records a later answer only implies
(a parent) never replace one already known. An answer is redacted as the journal redacts it
before it is read, and one that broke the contract is not recorded but noted with its findings.
Files keep the traffic's order with a fixed layout, so the same traffic gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from alertmock.contract import xml
from alertmock.contract.demo_credentials import demo_secret
from alertmock.contract.document import Contract
from alertmock.contract.pointer import lookup
from alertmock.contract.redaction import Secrets, redact_exchange
from alertmock.state.fixtures import RECORDING_MANIFEST, load_fixtures
from alertmock.state.state_file import write_whole

__all__ = ["MANIFEST", "Recorder", "Rejected", "RecordsAt", "new_recorder"]

Record = dict[str, Any]
# Written beside the records: `serve --fixtures DIR` layers such a folder on the bundled fixtures.
MANIFEST = RECORDING_MANIFEST


@dataclass(frozen=True)
class RecordsAt:
    """Where one operation's success answer holds records, and who converts them."""

    kind: str
    pointer: str
    converter: Any  # the vendor's `recorder` module
    schemas: Mapping[str, Any]  # media type -> schema, to read an XML answer as data
    demo: str | None  # the vendor's demo credential (the contract's x-demo-credential)


@dataclass(frozen=True)
class Rejected:
    """An answer that carried records but broke the contract: not recorded."""

    method: str
    path: str
    status: int
    violations: tuple[str, ...]


@dataclass
class Recorder:
    contract: Contract
    bundled: Mapping[str, list[Record]]
    secrets: Secrets = field(default_factory=Secrets)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    recorded_answers: int = 0
    directory: Path | None = None  # where `flush` writes by default

    def __post_init__(self) -> None:
        self._at: dict[tuple[str, int], RecordsAt] = {}
        # Per vendor, the README's demo credential, whose identity a recording is served to.
        schemes = self.contract.resolved.get("components", {}).get("securitySchemes", {})
        default_security = self.contract.resolved.get("security", [])
        used: dict[str, set[str]] = {}
        for operation in self.contract.operations.values():
            vendor = self.contract.vendor_for(operation.path, operation.operation_id)
            if vendor is not None:
                for requirement in operation.spec.get("security", default_security):
                    used.setdefault(vendor.name, set()).update(requirement)
        self._demo = {vendor: demo_secret(schemes, names) for vendor, names in used.items()}
        for operation in self.contract.operations.values():
            for status, response in operation.spec.get("responses", {}).items():
                where = (response.get("x-alertmock") or {}).get("records") if isinstance(response, dict) else None
                if where is None or not str(status).isdigit():
                    continue
                vendor = self.contract.vendor_for(operation.path, operation.operation_id)
                converter = vendor.record_converter() if vendor is not None else None
                if converter is None:
                    continue
                schemas = {media: body.get("schema", {}) for media, body in response.get("content", {}).items()}
                self._at[(operation.operation_id, int(status))] = RecordsAt(
                    where["kind"], where["at"], converter, schemas, self._demo.get(vendor.name)
                )

    def load(self, directory: Path) -> None:
        """Starts from what `directory` already holds, so recording sessions add up."""
        if (directory / MANIFEST).is_file():
            for kind, records in load_fixtures(directory).items():
                self.records[kind] = {str(r["id"]): r for r in records}

    def carries_records(self, operation_id: str | None, status: int) -> bool:
        return operation_id is not None and (operation_id, status) in self._at

    def observe(
        self,
        *,
        method: str,
        path: str,
        operation_id: str | None,
        params: Mapping[str, Any],
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        violations: Sequence[str],
    ) -> int:
        """Records what the answer carries; returns how many records it gave (0 if none)."""
        if operation_id is None or (where := self._at.get((operation_id, status))) is None:
            return 0
        if violations:
            self.rejected.append(Rejected(method, path, status, tuple(violations)))
            return 0
        try:
            data = self._data(operation_id, where, headers, body)
        except ValueError as exc:  # a body the checks passed but this reading refuses: reported, not raised
            self.rejected.append(Rejected(method, path, status, (f"unreadable answer: {exc}",)))
            return 0
        items = lookup(data, where.pointer)
        if items is None:
            return 0
        given = 0
        for item in items if isinstance(items, list) else [items]:
            try:
                converted = where.converter.records(where.kind, item, dict(params), self.bundled, where.demo)
            except (KeyError, IndexError, TypeError, ValueError, StopIteration) as exc:
                # The vendor's converter met a shape it does not know: reported, and the proxy answers on.
                self.rejected.append(Rejected(method, path, status, (f"not convertible: {exc!r}",)))
                continue
            for position, (kind, record) in enumerate(converted):
                collection = self.records.setdefault(kind, {})
                key = str(record["id"])
                known = collection.get(key)
                if known is None:
                    collection[key] = record
                elif position == 0:
                    # The latest answer wins; what it does not show (a list leaves out an alert's
                    # recipients) stays as an earlier answer showed it.
                    collection[key] = {**known, **record}
                else:
                    # A record the item only implies (its parent): what this answer shows adds to it.
                    collection[key] = {**known, **{k: v for k, v in record.items() if v not in ("", None, [], {})}}
                given += 1
        self.recorded_answers += 1
        return given

    def _data(self, operation_id: str, where: RecordsAt, headers: Mapping[str, str], body: bytes) -> Any:
        # Redacted as the journal redacts an answer: no credential reaches the records.
        answer = {"headers": dict(headers), "body": body.decode("utf-8", "replace")}
        exchange = {"operation_id": operation_id, "response": answer}
        text = redact_exchange(exchange, self.secrets)["response"]["body"]
        media = headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if media.endswith("xml"):
            return xml.loads(text, where.schemas.get(media))
        return orjson.loads(text)

    def flush(self, directory: Path) -> list[Path]:
        """Writes every kind as ``<vendor>/<kind>.json`` and the manifest; returns the files written.

        Records keep the order the traffic first showed them in (a list answer's order), so the
        mock lists them as the real service did."""
        for at in {id(at.converter): at for at in self._at.values()}.values():
            if hasattr(at.converter, "finish"):
                at.converter.finish(self.records, self.bundled, at.demo)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for kind in sorted(self.records):
            vendor, _, name = kind.partition(".")
            path = directory / vendor / f"{name}.json"
            records = list(self.records[kind].values())
            write_whole(path, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
            written.append(path)
        manifest = {
            "recorded-by": "alertmock",
            "layered-on": "the bundled fixtures: kinds this folder does not hold come from them",
            "kinds": sorted(self.records),
        }
        write_whole(directory / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        return written

    def summary(self, directory: Path) -> str:
        counts = ", ".join(f"{kind} {len(records)}" for kind, records in sorted(self.records.items()))
        lines = [f"Recorded into {directory}: {counts or 'nothing'} ({self.recorded_answers} answer(s))"]
        if self.rejected:
            lines.append(f"Not recorded, {len(self.rejected)} answer(s) broke the contract:")
            for rejected in self.rejected:
                found = "; ".join(rejected.violations)
                lines.append(f"  {rejected.method} {rejected.path} ({rejected.status}): {found}")
        return "\n".join(lines)


def new_recorder(runtime: Any, directory: Path) -> Recorder:
    """A recorder for `runtime`'s contract, given the bundled fixtures (the vendors' demo
    identities live there), starting from what `directory` already holds."""
    from alertmock.app.config import DEFAULT_FIXTURES

    recorder = Recorder(runtime.contract, load_fixtures(DEFAULT_FIXTURES), runtime.secrets)
    recorder.load(directory)
    recorder.directory = directory
    return recorder
