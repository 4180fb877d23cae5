"""Add User to and Delete User from Data-Driven Alert: the alert's recipients (document 003)."""

from __future__ import annotations

from typing import Any

from alertmock import Response, respond
from handlers.tableau import _faults, _wire
from handlers.tableau._access import ALERTS, caller


async def add_data_alert_user(
    api_version: str, site_id: str, data_alert_id: str, body: dict[str, Any], token_info: dict[str, Any], **_: Any
) -> Response:
    who = await caller(token_info, api_version, site_id)
    alert = await who.alert(data_alert_id)
    user_id = body["user"]["id"]
    # Anyone who sees a public alert may add themselves ("add themselves as recipients").
    self_subscription = user_id == who.id and bool(alert["public"])
    if not (who.is_admin or who.owns(alert) or self_subscription):
        raise _faults.adding_recipient_forbidden() if who.sees(alert) else _faults.write_forbidden()
    user = await who.site_user(user_id)
    if user["id"] not in alert["recipientIds"]:  # adding twice keeps one entry
        recipients = [*alert["recipientIds"], user["id"]]
        await who.state.put(ALERTS, data_alert_id, {**alert, "recipientIds": recipients})
    return respond({"user": _wire.user(user, site_id)})


async def delete_data_alert_user(
    api_version: str, site_id: str, data_alert_id: str, user_id: str, token_info: dict[str, Any], **_: Any
) -> Response:
    who = await caller(token_info, api_version, site_id)
    alert = await who.alert(data_alert_id)
    if not (who.is_admin or who.owns(alert)):
        raise _faults.deleting_recipient_forbidden() if who.sees(alert) else _faults.delete_forbidden()
    if user_id not in alert["recipientIds"]:
        raise _faults.user_not_found(user_id, "in the URI")
    remaining = [rid for rid in alert["recipientIds"] if rid != user_id]
    await who.state.put(ALERTS, data_alert_id, {**alert, "recipientIds": remaining})
    return respond(None, 204)
