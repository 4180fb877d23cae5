"""What verify reads from the contract: the bundled document, each vendor's operations and client.

The contract is bundled into one JSON document (every ``$ref`` inlined by the engine's own loader):
Schemathesis resolves a ``$ref`` to an *example* inside ``spec/<vendor>.yaml`` against the root
document and fails, and the XML deserializer needs plain schemas to read attributes as typed values.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from alertmock.app.config import DEFAULT_SPEC
from alertmock.tools.verify.stops import VerifyError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# An operation marked so revokes the credential it is called with (Tableau's Sign Out): verify sends
# it a throwaway credential, never the run's.
REVOKES = "x-revokes-credential"


def bundled_document(spec: Path) -> dict[str, Any]:
    """The contract rooted at ``spec`` as one JSON document without any ``$ref``."""
    from alertmock.contract.document import Contract

    # YAML may hold dates or other non-JSON scalars; the wire only ever sees strings for them.
    return json.loads(json.dumps(Contract(spec).resolved, default=str))


def tag_regex(api: str) -> str:
    """Every tag of the root contract is named ``<vendor>-<resource>``."""
    return f"^{api}-"


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str
    security: tuple[str, ...]  # scheme names of the operation's requirements, in the contract's order
    revokes_credential: bool
    path_parameters: tuple[str, ...]

    @property
    def label(self) -> str:
        """Schemathesis' name for it."""
        return f"{self.method} {self.path}"

    @property
    def secured(self) -> bool:
        return bool(self.security)


def labels_by_operation_id(document: Mapping[str, Any]) -> dict[str, str]:
    """Each operationId's label (`METHOD /path`), the name coverage, links and custody use."""
    return {
        operation["operationId"]: f"{method.upper()} {path}"
        for path, item in document.get("paths", {}).items()
        for method in HTTP_METHODS
        if isinstance(operation := item.get(method), dict) and "operationId" in operation
    }


def operations(document: dict[str, Any], api: str) -> list[Operation]:
    """The vendor's operations (its tags), in the contract's order."""
    found = []
    root_security = document.get("security", [])
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict) or not any(t.startswith(f"{api}-") for t in operation.get("tags", [])):
                continue
            requirements = operation.get("security", root_security)
            parameters = [*shared, *operation.get("parameters", [])]
            found.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(dict.fromkeys(name for requirement in requirements for name in requirement)),
                    bool(operation.get(REVOKES)),
                    tuple(dict.fromkeys(p["name"] for p in parameters if p.get("in") == "path")),
                )
            )
    return found


def vendor_names(spec: Path = DEFAULT_SPEC) -> list[str]:
    """The vendors the contract declares (its root's ``x-alertmock.vendors``)."""
    return [v["name"] for v in _vendors(spec)]


def vendor_client(api: str, spec: Path = DEFAULT_SPEC) -> ModuleType:
    """The vendor's client module, named by the contract (``x-alertmock.vendors[].client``).

    It authenticates the way the vendor's clients do and knows the vendor's ids; the engine never
    imports it by name (tests/test_import_rules.py).
    """
    for vendor in _vendors(spec):
        if vendor["name"] == api and vendor.get("client"):
            return importlib.import_module(vendor["client"])
    raise VerifyError(f"unknown api {api!r}: choose from {', '.join(vendor_names(spec))}")


@cache
def _vendors(spec: Path) -> tuple[dict[str, Any], ...]:
    import yaml

    root = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return tuple(root.get("x-alertmock", {}).get("vendors", []))
