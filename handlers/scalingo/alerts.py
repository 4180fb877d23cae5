"""/v1/apps/{app}/alerts and /v1/apps/{app}/alerts/{alert_id}: Scalingo app alerts (document 004).

The contract validates bodies (required attributes, types, duration syntax); these handlers only
resolve the app the caller may see, convert durations and numbers the way Go does, and store.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from alertmock import NotFoundError, current_state, new_uuid, now, respond
from handlers.scalingo import _wire
from handlers.scalingo._durations import DurationError, parse_duration

APPS = "scalingo.apps"
ALERTS = "scalingo.alerts"

# Attributes a request may set; anything else in a body (go-scalingo sends "id": "") is ignored.
_ATTRIBUTES = ("container_type", "limit", "metric", "notifiers", "send_when_below", "disabled", "metadata")
_DURATIONS = ("duration_before_trigger", "remind_every")


def _defaults() -> dict[str, Any]:
    """Defaults of a new alert, as the document's create answer shows them (spec: create_alert).

    A new dict each time (records are mutable), built from a literal: a deepcopy of a constant
    cost more than the rest of the handler's own work.
    """
    return {
        "disabled": False,
        "send_when_below": False,
        "duration_before_trigger": 0,
        "remind_every": 0,
        "metadata": {"recipient": "user"},
        "notifiers": [],
    }


async def list_alerts(app: str, user: str) -> Response:
    app_id = (await _visible_app(app, user))["id"]
    alerts = [_wire.alert(a, listed=True) for a in await current_state().list(ALERTS, where={"app_id": app_id})]
    return respond({"alerts": alerts})


async def create_alert(app: str, body: dict[str, Any], user: str) -> Response:
    app_id = (await _visible_app(app, user))["id"]
    created = _wire.timestamp(now())
    record = {
        "id": f"al-{new_uuid()}",
        "app_id": app_id,
        "created_at": created,
        "updated_at": created,
        **_defaults(),
        **_attributes(body["alert"]),
    }
    # Answer before storing: an unacceptable Accept header (406) must not leave the alert behind.
    response = respond({"alert": _wire.alert(record)}, 201)
    await current_state().put(ALERTS, record["id"], record)
    return response


async def get_alert(app: str, alert_id: str, user: str) -> Response:
    return respond({"alert": _wire.alert(await _alert(app, alert_id, user))})


async def patch_alert(app: str, alert_id: str, body: dict[str, Any], user: str) -> Response:
    current = await _alert(app, alert_id, user)
    # The document and scalingo.js wrap the attributes in "alert"; go-scalingo sends them bare.
    changes = _attributes(body["alert"] if isinstance(body.get("alert"), dict) else body)
    record = {**current, **changes, "updated_at": _wire.timestamp(now())}
    response = respond({"alert": _wire.alert(record)})  # before storing, as in create_alert
    await current_state().put(ALERTS, alert_id, record)
    return response


async def put_alert(app: str, alert_id: str, body: dict[str, Any], user: str) -> Response:
    # The document gives PUT as a synonym of PATCH: every attribute optional, partial update.
    return await patch_alert(app, alert_id, body, user)


async def delete_alert(app: str, alert_id: str, user: str) -> Response:
    await _alert(app, alert_id, user)
    await current_state().delete(ALERTS, alert_id)
    return respond(None, 204)


async def _visible_app(app: str, user: str) -> dict[str, Any]:
    """The app by id or name, if `user` owns it; someone else's app is as unknown as a missing one."""
    state = current_state()
    record = await state.get(APPS, app)
    if record is None:
        record = next((a for a in await state.list(APPS) if a["name"] == app), None)
    if record is None or record["owner_id"] != user:
        raise NotFoundError(f"app {app!r} not found", extra={"resource": "app"})
    return record


async def _alert(app: str, alert_id: str, user: str) -> dict[str, Any]:
    app_id = (await _visible_app(app, user))["id"]
    record = await current_state().get(ALERTS, alert_id)
    if record is None or record["app_id"] != app_id:
        raise NotFoundError(f"alert {alert_id!r} not found", extra={"resource": "alert"})
    return record


def _attributes(given: dict[str, Any]) -> dict[str, Any]:
    """The stored form of the attributes a request sets (already validated by the contract)."""
    stored = {name: _wire.go_json(given[name], name) for name in _ATTRIBUTES if name in given}
    for name in _DURATIONS:
        if name in given:
            try:
                stored[name] = parse_duration(given[name])
            except DurationError as exc:
                raise _wire.invalid(name, str(exc)) from None
    return stored
