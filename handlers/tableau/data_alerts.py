"""Query, Query Details, Update and Delete Data-Driven Alert (document 003)."""

from __future__ import annotations

import math
from typing import Any

from alertmock import Response, current_operation, current_settings, now, respond
from handlers.tableau import _faults, _wire
from handlers.tableau._access import ALERTS, caller


async def list_data_alerts(
    api_version: str,
    site_id: str,
    token_info: dict[str, Any],
    pageSize: int,  # Connexion passes query parameters by their wire names, with the contract's defaults
    pageNumber: int,
    filter: str | None = None,
    **_: Any,
) -> Response:
    who = await caller(token_info, api_version, site_id)
    maximum = _max_page_size()
    if pageSize > maximum:
        raise _faults.page_size_limit_exceeded(pageSize, maximum)
    on_site = {"siteId": site_id}
    if who.is_admin and filter is None:
        # Administrators see every alert of the site: the page comes straight from the site's
        # index, at the cost of the page whatever the number of alerts.
        # The page first: a shared store brings its total along with it, one round trip for both.
        page = await who.state.list(ALERTS, where=on_site, offset=(pageNumber - 1) * pageSize, limit=pageSize)
        total = await who.state.count(ALERTS, where=on_site)
        _check_page(pageNumber, pageSize, total)
        return respond(await _wire.data_alert_list(who.state, page, pageNumber, pageSize, total))
    visible = await who.state.list(ALERTS, where=on_site)
    if not who.is_admin:
        # Non-administrators may call this only as the owner or a recipient of at least one alert.
        if not any(who.owns(a) or who.receives(a) for a in visible):
            raise _faults.read_forbidden()
        visible = [a for a in visible if who.sees(a)]
    if filter is not None:
        view_id = filter.split(":", 2)[2]  # the contract's pattern guarantees viewId:eq:<luid>
        visible = [a for a in visible if a["viewId"] == view_id]
    _check_page(pageNumber, pageSize, len(visible))
    page = visible[(pageNumber - 1) * pageSize : pageNumber * pageSize]
    return respond(await _wire.data_alert_list(who.state, page, pageNumber, pageSize, len(visible)))


def _max_page_size() -> int:
    """Tableau's maximum page size: the contract's `x-maximum` of `pageSize`, unless a setting
    (`tableau.max_page_size`) changes it for a test."""
    documented = current_operation().parameter("pageSize")["x-maximum"]
    return int(current_settings().get("tableau.max_page_size", documented))


def _check_page(page_number: int, page_size: int, total: int) -> None:
    last_page = max(1, math.ceil(total / page_size))
    if page_number > last_page:
        raise _faults.invalid_page_number(page_number, last_page)


async def get_data_alert(
    api_version: str, site_id: str, data_alert_id: str, token_info: dict[str, Any], **_: Any
) -> Response:
    who = await caller(token_info, api_version, site_id)
    alert = await who.alert(data_alert_id)
    if not who.sees(alert):
        raise _faults.read_forbidden()
    return respond({"dataAlert": await _wire.data_alert(who.state, alert, with_recipients=True)})


async def update_data_alert(
    api_version: str, site_id: str, data_alert_id: str, body: dict[str, Any], token_info: dict[str, Any], **_: Any
) -> Response:
    who = await caller(token_info, api_version, site_id)
    alert = await who.alert(data_alert_id)
    if not (who.is_admin or who.owns(alert)):
        raise _faults.updating_alert_forbidden() if who.sees(alert) else _faults.write_forbidden()
    changes = body["dataAlert"]
    updated = dict(alert)
    if "subject" in changes:
        updated["subject"] = changes["subject"]
    if "frequency" in changes:
        updated["frequency"] = changes["frequency"].lower()  # any case in, lower case out
    if "public" in changes:
        # JSON clients may send "true"/"false"; XML arrives already coerced to a boolean.
        updated["public"] = changes["public"] in (True, "true")
    if "owner" in changes:
        updated["ownerId"] = (await who.site_user(changes["owner"]["id"]))["id"]
    updated["updatedAt"] = _wire.timestamp(now())
    await who.state.put(ALERTS, data_alert_id, updated)
    return respond({"dataAlert": await _wire.data_alert(who.state, updated)})


async def delete_data_alert(
    api_version: str, site_id: str, data_alert_id: str, token_info: dict[str, Any], **_: Any
) -> Response:
    who = await caller(token_info, api_version, site_id)
    alert = await who.alert(data_alert_id)
    # The document lets recipients delete the alert too, not only owners.
    if not (who.is_admin or who.owns(alert) or who.receives(alert)):
        raise _faults.delete_forbidden()
    await who.state.delete(ALERTS, data_alert_id)
    return respond(None, 204)
