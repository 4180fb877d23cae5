"""``alertmock lint``: is the contract valid, complete and self-consistent?

Each check is a function from the loaded contract to a list of problems; `run_lint` prints them,
the discrepancies the contract records, and the coverage of the documented operations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec
from openapi_spec_validator.readers import read_from_filename

from alertmock.contract import xml
from alertmock.contract.document import Contract
from alertmock.contract.negotiation import is_xml


@dataclass(frozen=True)
class Example:
    where: str
    media_type: str
    schema: dict[str, Any]
    value: Any


def iter_examples(contract: Contract) -> Iterator[Example]:
    """Every example in the contract with the schema it must satisfy."""
    for op in contract.operations.values():
        label = f"{op.method} {op.path}"
        body = op.spec.get("requestBody", {})
        for media_type, media in body.get("content", {}).items():
            yield from _media_examples(f"{label} request {media_type}", media_type, media)
        for status, response in op.spec.get("responses", {}).items():
            for media_type, media in response.get("content", {}).items():
                yield from _media_examples(f"{label} {status} {media_type}", media_type, media)
        for param in op.spec.get("parameters", []):
            for name, ex in param.get("examples", {}).items():
                yield Example(f"{label} parameter {param['name']} example {name}", "", param["schema"], ex.get("value"))


def _media_examples(where: str, media_type: str, media: dict[str, Any]) -> Iterator[Example]:
    schema = media.get("schema", {})
    if "example" in media:
        yield Example(f"{where} example", media_type, schema, media["example"])
    for name, ex in media.get("examples", {}).items():
        if "value" in ex:
            yield Example(f"{where} example {name}", media_type, schema, ex["value"])


def check_spec_valid(contract: Contract) -> list[str]:
    document, base_uri = read_from_filename(str(contract.path))
    try:
        validate_spec(document, base_uri=base_uri)
    except Exception as exc:  # the validator raises several unrelated exception types
        return [f"openapi-spec-validator: {str(exc).splitlines()[0]}"]
    return []


def check_examples_validate(contract: Contract) -> list[str]:
    problems = []
    for example in iter_examples(contract):
        value = example.value
        if is_xml(example.media_type) and isinstance(value, str):
            try:
                value = xml.loads(value.encode(), example.schema)
            except xml.XMLError as exc:
                problems.append(f"{example.where}: {exc}")
                continue
        errors = sorted(OAS30Validator(example.schema).iter_errors(value), key=lambda e: list(e.path))
        problems.extend(f"{example.where}: {e.message} at /{'/'.join(map(str, e.path))}" for e in errors[:3])
    return problems


def check_operations_complete(contract: Contract) -> list[str]:
    problems = []
    for op in contract.operations.values():
        label = f"{op.method} {op.path}"
        if not op.tags:
            problems.append(f"{label}: no tag")
        if "security" not in op.spec:
            problems.append(f"{label}: no security requirement (declare `security: []` for a public operation)")
        if not any(s.startswith(("4", "5")) for s in op.responses):
            problems.append(f"{label}: no documented error response")
        for key in ("summary", "description", "x-doc-source"):
            if not op.spec.get(key):
                problems.append(f"{label}: no {key}")
    return problems


CHECKS: dict[str, Callable[[Contract], list[str]]] = {
    "spec is valid OpenAPI": check_spec_valid,
    "examples validate against their schemas": check_examples_validate,
    "operations have tags, security, errors and sources": check_operations_complete,
}


def discrepancies(contract: Contract) -> list[str]:
    """Each recorded contradiction once, at the first place it appears (refs inline it in several)."""
    found: dict[str, str] = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "x-doc-discrepancy" in node:
                found.setdefault(" ".join(str(node["x-doc-discrepancy"]).split()), where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    for op in contract.operations.values():
        walk(op.spec, f"{op.method} {op.path}")
    return [f"{where}: {text}" for text, where in found.items()]


def documented_operations(contract: Contract) -> list[dict[str, Any]]:
    relative = contract.resolved.get("x-alertmock", {}).get("documented-operations")
    if not relative:
        return []
    return yaml.safe_load((contract.path.parent / relative).read_text(encoding="utf-8")) or []


def coverage(contract: Contract) -> list[tuple[dict[str, Any], bool]]:
    present = {(op.method, op.path) for op in contract.operations.values()}
    return [(doc, (doc["method"], doc["path"]) in present) for doc in documented_operations(contract)]


def run_lint(spec: Path, out: TextIO) -> int:
    contract = Contract(spec)
    failed = False
    for title, check in CHECKS.items():
        problems = check(contract)
        failed |= bool(problems)
        out.write(f"{'FAIL' if problems else 'ok  '}  {title}\n")
        for problem in problems:
            out.write(f"      - {problem}\n")
    notes = discrepancies(contract)
    out.write(f"\nDocumented discrepancies ({len(notes)}):\n")
    for note in notes:
        out.write(f"  - {note}\n")
    rows = coverage(contract)
    covered = sum(ok for _, ok in rows)
    out.write(f"\nDocumented operations: {covered}/{len(rows)} present\n")
    for doc, ok in rows:
        out.write(
            f"  {'present' if ok else 'MISSING'}  {doc['n']:>2}  {doc['method']:<6} {doc['path']}  ({doc['doc']})\n"
        )
    failed |= covered != len(rows) or not rows
    out.write(f"\n{'lint failed' if failed else 'lint passed'}\n")
    return 1 if failed else 0
