"""Matatika's answers back to records: the inverse of `_wire.Subscriptions` and `_wire.job`, for
`alertmock proxy --record`.

Targets, workspaces and pipelines are named by their links (a channel's embed has no id); the
subscriber by its embed. The recorded caller is the profile its own subscriptions name: `finish`
maps the README's demo token to it and makes it the owner and member of every recorded workspace,
so the demo credential sees the recording as its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._wire import TARGET_KINDS

Record = dict[str, Any]
# The README's demo credential (`Authorization: Bearer matatika-demo-token`).
_EMBED_FIELDS = {"channel": ("name", "description", "picture"), "pipeline": ("name", "lastModified")}


def records(
    kind: str, item: Record, params: Mapping[str, str], bundled: Mapping[str, list[Record]], demo: str | None
) -> list[tuple[str, Record]]:
    if kind == "matatika.jobs":
        return _job(kind, item)
    return _subscription(kind, item)


def _linked_id(item: Record, name: str) -> str:
    return str(item["_links"][name]["href"].split("?")[0].rstrip("/").rsplit("/", 1)[1])


def _subscription(kind: str, item: Record) -> list[tuple[str, Record]]:
    embedded = item.get("_embedded", {})
    target_kind = next(name for name in TARGET_KINDS if name in item.get("_links", {}))
    target_id = _linked_id(item, target_kind)
    if "subscriberWorkspace" in embedded:
        subscriber = {"kind": "workspace", "id": embedded["subscriberWorkspace"]["id"]}
    else:
        subscriber = {"kind": "profile", "id": embedded["subscriberProfile"]["id"]}
    record = {
        "id": item["id"],
        "created": item["created"],
        "lastModified": item["lastModified"],
        "type": item["type"],
        "subscriber": subscriber,
        "target": {"kind": target_kind, "id": target_id},
    }
    found: list[tuple[str, Record]] = [(kind, record)]
    shown = embedded.get(target_kind, {})
    if target_kind == "dataset":
        target = {**shown, "id": target_id}
    else:
        target = {"id": target_id, **{k: shown.get(k, "") for k in _EMBED_FIELDS.get(target_kind, ("name",))}}
    found.append((f"matatika.{TARGET_KINDS[target_kind]}", target))
    if subscriber["kind"] == "workspace":
        found.append(("matatika.workspaces", dict(embedded["subscriberWorkspace"])))
    else:
        profile = embedded["subscriberProfile"]
        # The caller's own subscriptions: it can use the alerting features it was seen using.
        found.append(("matatika.profiles", {**profile, "meltanoCloud": True, "recordedCaller": True}))
    return found


def _job(kind: str, item: Record) -> list[tuple[str, Record]]:
    pipeline_id, workspace_id = _linked_id(item, "pipeline"), _linked_id(item, "workspace")
    record: Record = {"id": item["id"], "type": item["type"], "pipelineId": pipeline_id, "workspaceId": workspace_id}
    for name in ("created", "startTime", "endTime", "status", "exitCode"):
        if name in item:
            record[name] = item[name]
    record["logs"] = []  # the logs are another answer (text or NDJSON), not recorded
    return [
        (kind, record),
        ("matatika.pipelines", {"id": pipeline_id, "workspaceId": workspace_id, "name": "", "lastModified": ""}),
        ("matatika.workspaces", {"id": workspace_id, "name": ""}),
    ]


def finish(recorded: dict[str, dict[str, Record]], bundled: Mapping[str, list[Record]], demo: str | None) -> None:
    """The demo token becomes the recorded caller; the caller owns the recorded workspaces."""
    profiles = recorded.get("matatika.profiles", {})
    caller = next((key for key, profile in profiles.items() if profile.get("recordedCaller")), None)
    if caller is None:
        return
    if demo is None:
        return
    recorded["matatika.tokens"] = {demo: {"id": demo, "profileId": caller}}
    for key, workspace in recorded.get("matatika.workspaces", {}).items():
        recorded["matatika.workspaces"][key] = {**workspace, "ownerId": caller, "memberIds": [caller]}
