"""Records (fixtures/tableau/*.json) to Tableau's wire form, as data for `respond`.

The data is Tableau's JSON mapping; the spec's `xml` objects make the same data Tableau's XML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alertmock import State, freeze

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
    # A page's alerts share a few owners and views: each is looked up once per page. Their wire
    # forms, and each alert's, are kept between requests while the records they come from are the
    # same objects (a write puts a new record, never changes one in place): frozen, so the XML
    # writer keeps their text too, and a page of unchanged alerts is mostly lookups.
    owners: dict[str, Record] = {}
    views: dict[str, Record] = {}
    items = []
    kept = _ALERTS
    for alert in alerts:
        owner_id, view_id = alert["ownerId"], alert["viewId"]
        owner = owners.get(owner_id)
        if owner is None:
            owner = owners[owner_id] = _kept_owner(owner_id, await state.get("tableau.users", owner_id))
        view = views.get(view_id)
        if view is None:
            view = views[view_id] = _kept_view(view_id, await state.get("tableau.views", view_id))
        entry = kept.get(id(alert))
        if entry is None or entry[1] is not owner or entry[2] is not view:
            # The entry holds the alert: no other object can take its id while it exists.
            entry = _keep(kept, id(alert), (alert, owner, view, freeze(_data_alert(alert, owner, view))))
        items.append(entry[3])
    return {
        # Tableau's JSON writes paging figures as strings.
        "pagination": {"pageNumber": str(page_number), "pageSize": str(page_size), "totalAvailable": str(total)},
        "dataAlerts": {"dataAlert": items} if items else {},
    }


# Wire forms kept between requests, by the identity of what they come from (each entry holds
# those objects, so no other object can take their ids while it exists). Plain dicts read in the
# loop above, bounded by `_keep`: a page is answered from them, a collection of 10,000 not kept whole.
_KEPT = 2048
_ALERTS: dict[int, tuple[Record, Record, Record, Record]] = {}
_OWNERS: dict[tuple[str, int], tuple[Record | None, Record]] = {}
_VIEWS: dict[tuple[str, int], tuple[Record | None, Record]] = {}


def _keep(kept: dict[Any, Any], key: Any, entry: Any) -> Any:
    if key not in kept and len(kept) >= _KEPT:
        del kept[next(iter(kept))]  # the oldest
    kept[key] = entry
    return entry


def _kept_owner(user_id: str, record: Record | None) -> Record:
    entry = _OWNERS.get((user_id, id(record)))
    if entry is None:
        entry = _keep(_OWNERS, (user_id, id(record)), (record, freeze(_owner_of(user_id, record))))
    return entry[1]  # type: ignore[no-any-return]


def _kept_view(view_id: str, record: Record | None) -> Record:
    entry = _VIEWS.get((view_id, id(record)))
    if entry is None:
        entry = _keep(_VIEWS, (view_id, id(record)), (record, freeze(_view_of(view_id, record))))
    return entry[1]  # type: ignore[no-any-return]


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
    return _kept_owner(user_id, await state.get("tableau.users", user_id))


async def _view(state: State, view_id: str) -> Record:
    return _kept_view(view_id, await state.get("tableau.views", view_id))


def _owner_of(user_id: str, record: Record | None) -> Record:
    return {"id": user_id, "name": (record or {}).get("name", "")}


def _view_of(view_id: str, record: Record | None) -> Record:
    record = record or {}
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
