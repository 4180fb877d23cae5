"""The operations of a resolved document, keyed so that the two sides line up.

A path's key ignores its parameters' names (``/alerts/{id}`` and ``/alerts/{alert_id}`` are the
same URL to a client), and a path parameter is known by its position for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from alertmock.contract.document import HTTP_METHODS

_TEMPLATE = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str
    item: Any  # the path item (Located)
    spec: Any  # the operation object (Located)
    parameters: dict[tuple[str, str], Any]  # (in, name) -> parameter; path parameters by position

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def deprecated(self) -> bool:
        return bool(self.spec.get("deprecated"))


def path_key(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


def path_pattern(path: str) -> re.Pattern[str]:
    """A regular expression matching the concrete paths of `path` (for recorded traffic)."""
    parts = _TEMPLATE.split(path)
    text = "".join(re.escape(part) if i % 2 == 0 else "[^/]+" for i, part in enumerate(parts))
    return re.compile(f"^{text}/?$")


def operations(document: Any) -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        positions = {name: str(i) for i, name in enumerate(_TEMPLATE.findall(path))}
        for method in HTTP_METHODS:
            spec = item.get(method)
            if not isinstance(spec, dict):
                continue
            parameters: dict[tuple[str, str], Any] = {}
            for parameter in [*(item.get("parameters") or []), *(spec.get("parameters") or [])]:
                parameters[_parameter_key(parameter, positions)] = parameter
            found[(method.upper(), path_key(path))] = Operation(method.upper(), path, item, spec, parameters)
    return found


def _parameter_key(parameter: dict[str, Any], positions: dict[str, str]) -> tuple[str, str]:
    where, name = parameter.get("in", ""), str(parameter.get("name", ""))
    if where == "path":
        return where, "#" + positions.get(name, name)
    return where, name.lower() if where == "header" else name
