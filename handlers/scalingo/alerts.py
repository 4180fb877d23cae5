"""/v1/apps/{app}/alerts and /v1/apps/{app}/alerts/{alert_id}: Scalingo app alerts (document 004).

The contract validates bodies (required attributes, types, duration syntax); these handlers only
resolve the app the caller may see, convert durations and numbers the way Go does, and store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alertmock import NotFoundError, Response, current_operation, current_state, freeze, new_uuid, now, respond
from handlers.scalingo import _wire
from handlers.scalingo._durations import DurationError, parse_duration

APPS = "scalingo.apps"
ALERTS = "scalingo.alerts"
_DURATIONS = _wire.DURATIONS  # read per attribute of every create and update


def _creation(operation: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """What a create reads from its operation (once, `Operation.derived`): the defaults of a new
    alert (the contract's `x-create-defaults`, spec: AlertCreate) and the attributes it may set.

    The defaults are frozen, and every new record shares their lists and dicts: records are
    replaced on write, never changed in place (10,000 alerts held 10,000 copies, 2.3 MiB)."""
    schema = operation.request_schema()["properties"]["alert"]
    return freeze(schema["x-create-defaults"]), _positions(_settable(schema))


def _update(operation: Any) -> dict[str, int]:
    """The attributes an update may set, bare or wrapped in `alert` (the wrapper is not one)."""
    return _positions(name for name in _settable(operation.request_schema()) if name != "alert")


def _settable(schema: dict[str, Any]) -> tuple[str, ...]:
    """The attributes a body schema lists (its properties and those of its `allOf` parts), in the
    contract's order: a request may set these; anything else in a body (go-scalingo sends
    "id": "") is ignored."""
    names = dict.fromkeys(schema.get("properties", ()))
    for part in schema.get("allOf", ()):
        names.update(dict.fromkeys(_settable(part)))
    return tuple(names)


def _positions(names: Iterable[str]) -> dict[str, int]:
    """Each name's place in the contract's order, for `_attributes` to sort a request's names by."""
    return {name: position for position, name in enumerate(names)}


async def list_alerts(app: str, user: str) -> Response:
    app_id = (await _visible_app(app, user))["id"]
    alerts = [_wire.alert(a, listed=True) for a in await current_state().list(ALERTS, where={"app_id": app_id})]
    return respond({"alerts": alerts})


async def create_alert(app: str, body: dict[str, Any], user: str) -> Response:
    app_id = (await _visible_app(app, user))["id"]
    defaults, settable = current_operation().derived(_creation)
    created = _wire.timestamp(now())
    record = {"id": f"al-{new_uuid()}", "app_id": app_id, "created_at": created, "updated_at": created, **defaults}
    record.update(_attributes(body["alert"], settable))
    # Answer before storing: an unacceptable Accept header (406) must not leave the alert behind.
    response = respond({"alert": _wire.alert(record)}, 201)
    await current_state().put(ALERTS, record["id"], record)
    return response


async def get_alert(app: str, alert_id: str, user: str) -> Response:
    return respond({"alert": _wire.alert(await _alert(app, alert_id, user))})


async def patch_alert(app: str, alert_id: str, body: dict[str, Any], user: str) -> Response:
    current = await _alert(app, alert_id, user)
    # The document and scalingo.js wrap the attributes in "alert"; go-scalingo sends them bare.
    given = body["alert"] if isinstance(body.get("alert"), dict) else body
    changes = _attributes(given, current_operation().derived(_update))
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


def _attributes(given: dict[str, Any], settable: dict[str, int]) -> dict[str, Any]:
    """The stored form of the `settable` attributes a request sets (already validated by the
    contract), in the contract's order: durations as nanoseconds, the others as Go's decoder
    holds them."""
    stored = {}
    # The names both sides have, found by one set intersection (a create sends three or four of
    # the nine), in the contract's order so that a record's keys do not depend on the client's.
    for name in sorted(given.keys() & settable.keys(), key=settable.__getitem__):
        if name in _DURATIONS:
            try:
                stored[name] = parse_duration(given[name])
            except DurationError as exc:
                raise _wire.invalid(name, str(exc)) from None
        else:
            stored[name] = _wire.go_json(given[name], name)
    return stored
