"""Scalingo's answers back to records: the inverse of `_wire.alert`, for `alertmock proxy --record`.

An alert answer names its app by id (`app_id`) and the path names it as the client did (its id or
its name); the app record is made from those, owned by the demo user so that the README's demo
token sees every recorded app as its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.scalingo._durations import parse_duration
from handlers.scalingo._wire import DURATIONS

Record = dict[str, Any]
# The README's demo credential (`curl -u ":tk-us-demo-token"`): its user owns what was recorded.


def records(
    kind: str, item: Record, params: Mapping[str, str], bundled: Mapping[str, list[Record]], demo: str | None
) -> list[tuple[str, Record]]:
    app_id = item.get("app_id") or params["app"]
    alert: Record = {
        "id": item["id"],
        "app_id": app_id,
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "container_type": item["container_type"],
        "disabled": item["disabled"],
        "metric": item["metric"],
        "limit": item["limit"],
        "send_when_below": item["send_when_below"],
    }
    for name in DURATIONS:
        alert[name] = parse_duration(item.get(name, 0))  # left out on the wire when zero (omitempty)
    alert["metadata"] = item.get("metadata", {})
    alert["notifiers"] = item.get("notifiers", [])
    # The path names the app by its name or its id: only a name says something about the app.
    named = params.get("app", app_id)
    app = {"id": app_id, "name": named if named != app_id else "", "owner_id": _demo_user(bundled, demo)}
    return [(kind, alert), ("scalingo.apps", app)]


def finish(recorded: dict[str, dict[str, Record]], bundled: Mapping[str, list[Record]], demo: str | None) -> None:
    """An app only ever named by its id is named by it."""
    for key, app in recorded.get("scalingo.apps", {}).items():
        if not app["name"]:
            recorded["scalingo.apps"][key] = {**app, "name": app["id"]}


def _demo_user(bundled: Mapping[str, list[Record]], demo: str | None) -> str:
    return next((str(t["user_id"]) for t in bundled.get("scalingo.tokens", []) if t["id"] == demo), "")
