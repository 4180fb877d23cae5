"""Tableau's answers back to records: the inverse of `_wire.data_alert`, for `alertmock proxy --record`.

The site comes from the path; the owner and view from the alert's embeds; recipients from the
detail answer (a list leaves them out). `finish` makes the first recorded site the one a sign-in
to site "" lands on, and gives the README's demo user (token and admin / admin) the server
administrator role on every recorded site, so the demo credential reads the recording as staging
answered it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Record = dict[str, Any]
# The README's demo credential (`X-Tableau-Auth: 12ab34cd56ef78ab90cd12ef34ab56cd`, or admin / admin).
# x-inferred: an alert's owner may create alerts; the answers do not show the owner's site role.
OWNER_ROLE = "Creator"


def records(
    kind: str, item: Record, params: Mapping[str, str], bundled: Mapping[str, list[Record]], demo: str | None
) -> list[tuple[str, Record]]:
    site_id = params.get("site-id") or params["site_id"]
    owner, view = item["owner"], item["view"]
    alert: Record = {
        "id": item["id"],
        "siteId": site_id,
        "subject": item["subject"],
        "creatorId": item["creatorId"],
        "ownerId": owner["id"],
        "viewId": view["id"],
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
        "frequency": item["frequency"],
        "public": item["public"],
    }
    if "recipients" in item:
        alert["recipientIds"] = [r["id"] for r in (item["recipients"] or {}).get("recipient", [])]
    user = {
        "id": owner["id"],
        "name": owner.get("name", ""),
        "password": None,  # no password signs in as a recorded user: the demo's credentials do
        "externalAuthUserId": "",
        "siteRoles": {site_id: OWNER_ROLE},
        "personalAccessTokens": [],
    }
    shown_view = {
        "id": view["id"],
        "name": view.get("name", ""),
        "workbook": dict(view.get("workbook") or {"id": "", "name": ""}),
        "project": dict(view.get("project") or {"id": "", "name": ""}),
    }
    site = {"id": site_id, "name": f"Recorded site {site_id}", "contentUrl": site_id}
    return [(kind, alert), ("tableau.users", user), ("tableau.views", shown_view), ("tableau.sites", site)]


def finish(recorded: dict[str, dict[str, Record]], bundled: Mapping[str, list[Record]], demo: str | None) -> None:
    sites = recorded.get("tableau.sites", {})
    if not sites:
        return
    for alert in recorded.get("tableau.data_alerts", {}).values():
        alert.setdefault("recipientIds", [])
    first = next(iter(sites))
    sites[first] = {**sites[first], "contentUrl": ""}  # where the demo's sign-in to site "" lands
    demo_id = next((t["userId"] for t in bundled.get("tableau.tokens", []) if t["id"] == demo), None)
    if demo_id is None:
        return
    demo_user = next(u for u in bundled.get("tableau.users", []) if u["id"] == demo_id)
    users = recorded.setdefault("tableau.users", {})
    users[demo_id] = {**demo_user, "siteRoles": dict.fromkeys(sites, "ServerAdministrator")}
