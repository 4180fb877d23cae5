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


def data_alert(state: State, alert: Record, *, with_recipients: bool = False) -> Record:
    owner = state.get("tableau.users", alert["ownerId"]) or {}
    view = state.get("tableau.views", alert["viewId"]) or {}
    wire: Record = {
        "id": alert["id"],
        "subject": alert["subject"],
        "creatorId": alert["creatorId"],
        "createdAt": alert["createdAt"],
        "updatedAt": alert["updatedAt"],
        "frequency": alert["frequency"],
        "public": alert["public"],
        # Clients index owner and view directly: both are always present, even if dangling.
        "owner": {"id": alert["ownerId"], "name": owner.get("name", "")},
        "view": {
            "id": alert["viewId"],
            "name": view.get("name", ""),
            "workbook": dict(view.get("workbook", {"id": "", "name": ""})),
            "project": dict(view.get("project", {"id": "", "name": ""})),
        },
    }
    if with_recipients:
        # Tableau's JSON leaves empty lists out: {} rather than {"recipient": []}.
        ids = alert["recipientIds"]
        wire["recipients"] = {"recipient": [{"id": rid} for rid in ids]} if ids else {}
    return wire


def data_alert_list(state: State, alerts: list[Record], page_number: int, page_size: int, total: int) -> Record:
    items = [data_alert(state, alert) for alert in alerts]
    return {
        # Tableau's JSON writes paging figures as strings.
        "pagination": {"pageNumber": str(page_number), "pageSize": str(page_size), "totalAvailable": str(total)},
        "dataAlerts": {"dataAlert": items} if items else {},
    }


def user(record: Record, site_id: str) -> Record:
    return {
        "id": record["id"],
        "name": record["name"],
        "siteRole": record["siteRoles"][site_id],
        "externalAuthUserId": record.get("externalAuthUserId", ""),
    }
