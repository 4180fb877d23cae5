"""Parent ids for the run: a random dataset, site or app is a 404 that tests nothing behind it.

Where each comes from, the first found winning: ``--set-path NAME=VALUE``; the ``--ids`` file;
what signing in taught (Tableau's site); with ``--against-mock``, the mock's documented fixtures
(the client's ``MOCK_IDS``); against a deployment, what it lists (the client's ``discover_ids``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from alertmock.tools.verify.stops import VerifyError


def parse_set_path(items: list[str]) -> dict[str, str]:
    found = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise VerifyError(f"--set-path wants NAME=VALUE, got {item!r}")
        found[name.strip()] = value.strip()
    return found


def read_ids_file(path: Path, api: str) -> dict[str, str]:
    """A YAML or JSON mapping of path parameter to id, flat or under the vendor's name."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VerifyError(f"--ids {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise VerifyError(f"--ids {path}: not YAML or JSON ({str(exc).splitlines()[0]})") from None
    if isinstance(data, dict) and isinstance(data.get(api), dict):
        data = data[api]
    if not isinstance(data, dict) or not all(isinstance(v, str | int) for v in data.values()):
        raise VerifyError(f"--ids {path}: expected a mapping of path parameter to id, e.g. 'app: my-app'")
    return {str(k): str(v) for k, v in data.items() if not isinstance(v, dict)}


def fixture_ids(client: ModuleType, directory: Path) -> dict[str, str]:
    """The mock's parents: the first record of each kind the vendor client names (``directory``: its
    fixtures), or the fixed value it gives."""
    found = {}
    for name, source in getattr(client, "MOCK_IDS", {}).items():
        if isinstance(source, str):  # a fixed value (Tableau's API version)
            found[name] = source
            continue
        kind, key = source
        records = json.loads((directory / f"{kind}.json").read_text(encoding="utf-8"))
        found[name] = str(records[0][key])
    return found


def merge(*sources: Mapping[str, str]) -> dict[str, str]:
    """The sources in order of precedence, first wins."""
    merged: dict[str, str] = {}
    for source in sources:
        for name, value in source.items():
            merged.setdefault(name, value)
    return merged
