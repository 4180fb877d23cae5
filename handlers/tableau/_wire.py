"""Records (fixtures/tableau/*.json) to Tableau's wire form, as data for `respond`.

The data is Tableau's JSON mapping; the spec's `xml` objects make the same data Tableau's XML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alertmock import State

Record = dict[str, Any]


def timestamp(moment: datetime) -> str:
    """Tableau's UTC form, YYYY-MM-DDTHH:MM:SSZ (no fraction, no offset)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def data_alert(state: State, alert: Record, *, with_recipients: bool = False) -> Record:
    wire = _data_alert(alert, await _owner(state, alert["ownerId"]), await _view(state, alert["viewId"]))
    if with_recipients:
        # Tableau's JSON leaves empty lists out: {} rather than {"recipient": []}.
        ids = alert["recipientIds"]
        wire["recipients"] = {"recipient": [{"id": rid} for rid in ids]} if ids else {}
    return wire


async def data_alert_list(state: State, alerts: list[Record], page_number: int, page_size: int, total: int) -> Record:
    # A page's alerts share a few owners and views: each is looked up and converted once, and the
    # alerts share its dict (the answer is serialised, never mutated).
    owners: dict[str, Record] = {}
    views: dict[str, Record] = {}
    items = []
    for alert in alerts:
        owner_id, view_id = alert["ownerId"], alert["viewId"]
        owner = owners.get(owner_id)
        if owner is None:
            owner = owners[owner_id] = await _owner(state, owner_id)
        view = views.get(view_id)
        if view is None:
            view = views[view_id] = await _view(state, view_id)
        items.append(_data_alert(alert, owner, view))
    return {
        # Tableau's JSON writes paging figures as strings.
        "pagination": {"pageNumber": str(page_number), "pageSize": str(page_size), "totalAvailable": str(total)},
        "dataAlerts": {"dataAlert": items} if items else {},
    }


def _data_alert(alert: Record, owner: Record, view: Record) -> Record:
    return {
        "id": alert["id"],
        "subject": alert["subject"],
        "creatorId": alert["creatorId"],
        "createdAt": alert["createdAt"],
        "updatedAt": alert["updatedAt"],
        "frequency": alert["frequency"],
        "public": alert["public"],
        # Clients index owner and view directly: both are always present, even if dangling.
        "owner": owner,
        "view": view,
    }


async def _owner(state: State, user_id: str) -> Record:
    return {"id": user_id, "name": (await state.get("tableau.users", user_id) or {}).get("name", "")}


async def _view(state: State, view_id: str) -> Record:
    record = await state.get("tableau.views", view_id) or {}
    return {
        "id": view_id,
        "name": record.get("name", ""),
        "workbook": dict(record.get("workbook", {"id": "", "name": ""})),
        "project": dict(record.get("project", {"id": "", "name": ""})),
    }


def user(record: Record, site_id: str) -> Record:
    return {
        "id": record["id"],
        "name": record["name"],
        "siteRole": record["siteRoles"][site_id],
        "externalAuthUserId": record.get("externalAuthUserId", ""),
    }
