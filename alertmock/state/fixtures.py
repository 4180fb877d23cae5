"""Fixtures: the documents' examples as data, ``fixtures/<vendor>/<kind>.json`` -> kind ``<vendor>.<kind>``.

Each file is a JSON array of records with an ``"id"``. Loading is an explicit step of
`create_app` (and of a reset), never an import side effect.
"""

from __future__ import annotations

import json
from pathlib import Path

from alertmock.state.store import Record


class FixtureError(ValueError):
    """A fixture file is not a JSON array of records that each have an "id"."""


def load_fixtures(directory: Path) -> dict[str, list[Record]]:
    if not directory.is_dir():
        raise FixtureError(f"--fixtures {directory}: no such directory")
    snapshot: dict[str, list[Record]] = {}
    for path in sorted(directory.glob("*/*.json")):
        kind = f"{path.parent.name}.{path.stem}"
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise FixtureError(f"{path}:{exc.lineno}:{exc.colno}: {exc.msg}") from exc
        if not isinstance(records, list) or not all(isinstance(r, dict) and "id" in r for r in records):
            raise FixtureError(f'{path}: expected a JSON array of objects, each with an "id"')
        ids = [str(r["id"]) for r in records]
        if len(set(ids)) != len(ids):
            raise FixtureError(f"{path}: duplicate ids")
        snapshot[kind] = records
    return snapshot


# What `alertmock proxy --record` writes beside the records (alertmock/proxy/recording.py).
RECORDING_MANIFEST = "recording.json"


def load_layered(directory: Path, base: Path) -> dict[str, list[Record]]:
    """`directory`'s fixtures; a recording (a folder holding the manifest) is layered on `base`:
    the kinds it does not hold come from there, its own kinds replace those of `base`."""
    snapshot = load_fixtures(directory)
    if directory.resolve() == base.resolve() or not (directory / RECORDING_MANIFEST).is_file():
        return snapshot
    return {**load_fixtures(base), **snapshot}
