"""The loaded contract: the resolved OpenAPI document and what the engine needs to look up in it.

Built once at start-up, so that per-request work (which vendor, which media types, which methods
a path allows) is a dictionary lookup or a precompiled regex.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import yaml

from alertmock.contract.pointer import resolve as resolve_pointer

_T = TypeVar("_T")

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class ContractError(ValueError):
    """A contract file that cannot be read; the message names the file (and line and column)."""


@dataclass(frozen=True)
class Response:
    """One documented response: its media types with their schema and named examples."""

    status: str
    description: str
    content: dict[str, dict[str, Any]]  # media type -> {"schema": ..., "examples": {name: value}}
    headers: dict[str, Any] = field(default_factory=dict)
    # A response component that operations on other resources (tags) use too: its examples speak
    # of one of them (a Spring 404's message and path), so they do not describe this operation.
    shared: bool = False

    def examples(self, media_type: str) -> dict[str, Any]:
        media = self.content.get(media_type, {})
        found = {name: ex.get("value") for name, ex in media.get("examples", {}).items()}
        if not found and "example" in media:
            found["example"] = media["example"]
        return found


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    spec: dict[str, Any]
    responses: dict[str, Response]
    # What handlers derive from the operation (`derived`): keyed by the deriving function, so
    # bounded by the code, never by what clients send.
    _derived: dict[Callable[..., Any], Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def derived(self, build: Callable[[Operation], _T]) -> _T:
        """`build(self)`, computed on first use and kept with the operation for the app's life: a
        handler reads a field list or defaults from the contract once, not on every request.
        `build` must be a module-level function (its identity is the key) of the operation only."""
        try:
            return self._derived[build]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[build] = build(self)
            return value

    def parameter(self, name: str) -> dict[str, Any]:
        """The operation's parameter `name` (path-level ones included); KeyError if it has none."""
        for parameter in self.spec.get("parameters", []):
            if parameter.get("name") == name:
                return parameter  # type: ignore[no-any-return]
        raise KeyError(f"{self.operation_id} has no parameter {name!r}")

    def request_schema(self, media_type: str = "application/json") -> dict[str, Any]:
        """The schema of the request body for `media_type` ({} if it has none)."""
        content = self.spec.get("requestBody", {}).get("content", {})
        return content.get(media_type, {}).get("schema", {})  # type: ignore[no-any-return]

    def response(self, status: int | str) -> Response | None:
        status = str(status)
        return self.responses.get(status) or self.responses.get(f"{status[0]}XX") or self.responses.get("default")


@dataclass(frozen=True)
class SeedParent:
    """Where ``POST /__mock/seed`` puts a kind's new records: under a record of `kind`, named by
    the records' `field` (a dotted path); `inherit` copies parent fields (a job's workspace);
    `named_by`, the parent's fields that name it as well as its id (an app's name)."""

    name: str
    kind: str
    field: str
    default: str
    inherit: dict[str, str] = field(default_factory=dict)
    named_by: tuple[str, ...] = ()

    async def find(self, state: Any, wanted: str) -> dict[str, Any] | None:
        """The parent record `wanted` names (its id, or one of its `named_by` fields), or None."""
        record = await state.get(self.kind, wanted)
        for name_field in self.named_by:
            if record is not None:
                break
            found = await state.list(self.kind, where={name_field: wanted}, limit=1)
            record = found[0] if found else None
        return record


@dataclass(frozen=True)
class Vendor:
    name: str
    tags: frozenset[str]
    pattern: re.Pattern[str]
    error_renderer: str
    jobs: str | None = None  # `async def () -> list[dict]`: the session's jobs on the simulated clock
    # Statuses any of the vendor's operations may answer whatever it documents (Prefer: code=N).
    generic_statuses: tuple[int, ...] = ()
    # The module turning an answer's items back into records (`alertmock proxy --record`,
    # `alertmock import-har`): `records(kind, item, params, bundled, demo) -> [(kind, record), ...]`,
    # the inverse of the vendor's wire form, and optionally `finish(records, bundled, demo)`, once
    # before writing; `demo` is the vendor's demo credential, to whose identity the recording is served.
    recorder: str | None = None

    def renderer(self) -> Callable[..., Any]:
        return _import(self.error_renderer)

    def job_lister(self) -> Callable[[], Awaitable[list[dict[str, Any]]]] | None:
        return _import(self.jobs) if self.jobs else None

    def record_converter(self) -> Any:
        return importlib.import_module(self.recorder) if self.recorder else None


class Contract:
    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.resolved: dict[str, Any] = _with_operation_parameters(resolve_document(self.path))
        extension = self.resolved.get("x-alertmock", {})
        self.vendors = [
            Vendor(
                v["name"],
                frozenset(v.get("tags", ())),
                re.compile(v["path-pattern"]),
                v["error-renderer"],
                v.get("jobs"),
                tuple(v.get("generic-statuses", ())),
                v.get("recorder"),
            )
            for v in extension.get("vendors", [])
        ]
        self.seed_parents: dict[str, list[SeedParent]] = {
            kind: [
                SeedParent(
                    name,
                    p["kind"],
                    p["field"],
                    str(p["default"]),
                    dict(p.get("inherit", {})),
                    tuple(p.get("named-by", ())),
                )
                for name, p in parents.items()
            ]
            for kind, parents in extension.get("seed-parents", {}).items()
        }
        self.operations: dict[str, Operation] = {}
        self._vendor_of_operation: dict[str, Vendor] = {}  # memo: asked once per journaled request
        self._path_methods: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = []
        shared = _responses_shared_across_tags(self.resolved.get("paths", {}))
        servers = self.resolved.get("servers") or [{"url": ""}]
        self.base_path = urlparse(servers[0]["url"]).path.rstrip("/")
        for relative_template, item in self.resolved.get("paths", {}).items():
            path_template = self.base_path + relative_template
            methods = []
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                methods.append(method.upper())
                op = item[method]
                self.operations[op["operationId"]] = Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path_template,
                    tags=tuple(op.get("tags", ())),
                    spec=op,
                    responses={
                        str(status): Response(
                            str(status),
                            r.get("description", ""),
                            r.get("content", {}),
                            r.get("headers", {}),
                            shared=id(r) in shared,
                        )
                        for status, r in op.get("responses", {}).items()
                    },
                )
            self._path_methods.append((_template_regex(path_template), path_template, tuple(methods)))

    def include(self, other: Contract) -> None:
        """Answer for `other`'s operations too (the control API is a contract of its own)."""
        self.operations.update(other.operations)
        self._path_methods.extend(other._path_methods)

    def request_headers(self) -> set[str]:
        """Headers clients may send that the contract names: API-key schemes and header parameters."""
        schemes = self.resolved.get("components", {}).get("securitySchemes", {}).values()
        names = {s["name"].lower() for s in schemes if s.get("type") == "apiKey" and s.get("in") == "header"}
        for op in self.operations.values():
            names |= {p["name"].lower() for p in op.spec.get("parameters", []) if p.get("in") == "header"}
        return names

    def response_headers(self) -> set[str]:
        """Every response header the contract declares (``Location``, ``WWW-Authenticate``, ...)."""
        return {name for op in self.operations.values() for r in op.responses.values() for name in r.headers}

    def answerable_statuses(self, operation: Operation) -> list[int]:
        """What ``Prefer: code=N`` may ask of `operation`: its documented statuses and its vendor's
        generic ones."""
        vendor = self.vendor_for(operation.path, operation.operation_id)
        documented = {int(status) for status in operation.responses if status.isdigit()}
        return sorted(documented | set(vendor.generic_statuses if vendor is not None else ()))

    def vendor_for(self, path: str, operation_id: str | None = None) -> Vendor | None:
        """The vendor of the matched operation, else the first whose path-pattern matches."""
        if operation_id:
            if (known := self._vendor_of_operation.get(operation_id)) is not None:
                return known
            operation = self.operations.get(operation_id)
            if operation is not None:
                tags = set(operation.tags)
                for vendor in self.vendors:
                    if vendor.tags & tags:
                        self._vendor_of_operation[operation_id] = vendor
                        return vendor
        return next((v for v in self.vendors if v.pattern.search(path)), None)

    def allowed_methods(self, path: str) -> tuple[str, ...]:
        """Every method of every path template matching `path` (Starlette's 405 only knows one route)."""
        allowed: list[str] = []
        for regex, _, methods in self._path_methods:
            if regex.fullmatch(path):
                allowed.extend(m for m in methods if m not in allowed)
        return tuple(allowed)

    def operation_at(self, method: str, path: str) -> str | None:
        """The operation id serving `method` at `path`, as routing would find it (the first
        template in the contract's order whose methods include it)."""
        for regex, template, methods in self._path_methods:
            if method in methods and regex.fullmatch(path):
                return next(
                    (o.operation_id for o in self.operations.values() if o.path == template and o.method == method),
                    None,
                )
        return None

    def path_template(self, path: str) -> str | None:
        return next((template for regex, template, _ in self._path_methods if regex.fullmatch(path)), None)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _responses_shared_across_tags(paths: dict[str, Any]) -> set[int]:
    """The ids of response objects that operations of different tags use (one resolved ``$ref``
    is one object, wherever it is referenced)."""
    tags_by_response: dict[int, set[str]] = {}
    for item in paths.values():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            for r in op.get("responses", {}).values():
                tags_by_response.setdefault(id(r), set()).update(op.get("tags", ()))
    return {response for response, tags in tags_by_response.items() if len(tags) > 1}


def _with_operation_parameters(document: dict[str, Any]) -> dict[str, Any]:
    """Path-level parameters copied into each operation (its own win, as OpenAPI says) and dropped.

    Connexion appends a path item's parameters to its operation's list in place, once per
    middleware layer that builds the operation: an operation under a path with two parameters
    ended up validating twelve. Same meaning, no shared list to grow.
    """
    paths: dict[str, Any] = {}
    for template, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        if not shared:
            paths[template] = item
            continue
        merged_item = {key: value for key, value in item.items() if key != "parameters"}
        for method in HTTP_METHODS:
            if method in item:
                own = item[method].get("parameters", [])
                names = {(p["name"], p["in"]) for p in own}
                parameters = [*own, *(p for p in shared if (p["name"], p["in"]) not in names)]
                merged_item[method] = {**item[method], "parameters": parameters}
        paths[template] = merged_item
    return {**document, "paths": paths}


def resolve_document(root: Path) -> dict[str, Any]:
    """The document at `root` with every ``$ref`` (local or into another file) inlined.

    A target referenced several times is resolved once and shared, so this is one pass over the
    documents (jsonschema's RefResolver, which Connexion uses, searches the whole file per ref).
    """
    documents: dict[Path, Any] = {}
    resolved: dict[tuple[Path, str], Any] = {}

    def document(path: Path) -> Any:
        if path not in documents:
            try:
                documents[path] = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark
                where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
                raise ContractError(f"{where}: not valid YAML: {exc.problem}") from None
        return documents[path]

    def target(ref: str, current: Path, stack: tuple[tuple[Path, str], ...]) -> Any:
        location, _, pointer = ref.partition("#")
        path = (current.parent / location).resolve() if location else current
        key = (path, pointer)
        if key in stack:
            raise ValueError(f"recursive $ref {ref!r} in {current}")
        if key not in resolved:
            resolved[key] = walk(resolve_pointer(document(path), pointer), path, (*stack, key))
        return resolved[key]

    def walk(node: Any, current: Path, stack: tuple[tuple[Path, str], ...]) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return target(node["$ref"], current, stack)
            return {key: walk(value, current, stack) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value, current, stack) for value in node]
        return node

    return walk(document(root), root, ())  # type: ignore[no-any-return]


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def _import(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
