"""``--state-file``: every session's state saved at shutdown and loaded at start-up.

A shared mock restarted (a new image, a moved pod, a SIGTERM) keeps what the team seeded. Only
the `Sessions` and `State` interfaces are used, so any backend can be saved. The file is written
to a sibling and renamed into place: a crash while saving never leaves half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from alertmock.state.store import Sessions

FORMAT = "alertmock-state/1"


async def save_sessions(sessions: Sessions, path: Path) -> int:
    """Write every session's collections to `path`; returns how many sessions were saved."""
    saved: dict[str, Any] = {}
    for name in await sessions.names():
        saved[name] = await (await sessions.open(name)).export()
    write_whole(path, json.dumps({"format": FORMAT, "sessions": saved}))
    return len(saved)


def write_whole(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a file cut short (a crash, a full disk) would not load."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One partial file per process: several workers sharing a store each save it at shutdown.
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


async def load_sessions(sessions: Sessions, path: Path) -> int:
    """Load the sessions saved in `path` (none if it does not exist yet); returns how many."""
    if not path.exists():
        return 0
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path} is not an alertmock state file ({FORMAT})")
    for name, collections in document["sessions"].items():
        await (await sessions.open(name)).load(collections)
    return len(document["sessions"])
