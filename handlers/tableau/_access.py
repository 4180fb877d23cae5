"""Who is calling, on which site, and what the document lets them do with an alert.

Every data-alert handler starts with `caller(...)`: it checks the api-version (data-driven
alerts exist from 3.2), the site, and that the token may be used on that site, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alertmock import State, current_request, current_state
from handlers.tableau import _faults

Record = dict[str, Any]
ALERTS = "tableau.data_alerts"
MINIMUM_VERSION = (3, 2)
SERVER_ADMINISTRATOR = "ServerAdministrator"


@dataclass(frozen=True)
class Caller:
    state: State
    user: Record
    site_id: str
    role: str

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def is_admin(self) -> bool:
        """Server and site administrators: the document grants them every method."""
        return self.role == SERVER_ADMINISTRATOR or self.role.startswith("SiteAdministrator")

    def owns(self, alert: Record) -> bool:
        return alert["ownerId"] == self.id

    def receives(self, alert: Record) -> bool:
        return self.id in alert["recipientIds"]

    def sees(self, alert: Record) -> bool:
        # A public alert is visible to the users of its view's site (the document's `public`).
        return self.is_admin or self.owns(alert) or self.receives(alert) or bool(alert["public"])

    async def alert(self, alert_id: str) -> Record:
        """The alert on this caller's site, or 409023 (an alert of another site is not found either)."""
        alert = await self.state.get(ALERTS, alert_id)
        if alert is None or alert["siteId"] != self.site_id:
            raise _faults.alert_not_found(alert_id)
        return alert

    async def site_user(self, user_id: str, where: str = "in the request body") -> Record:
        """A user of this caller's site, or 404002."""
        user = await self.state.get("tableau.users", user_id)
        if user is None or self.site_id not in user["siteRoles"]:
            raise _faults.user_not_found(user_id, where)
        return user


async def caller(token_info: Record, api_version: str, site_id: str) -> Caller:
    if _version(api_version) < MINIMUM_VERSION:
        raise _faults.version_too_old(current_request().url.path)
    state = current_state()
    if await state.get("tableau.sites", site_id) is None:
        raise _faults.site_not_found(site_id)
    # A signed-in token is bound to its site; the document's pre-issued token (siteId null) is not.
    bound = token_info.get("siteId")
    user = await state.get("tableau.users", str(token_info["sub"]))
    if (bound is not None and bound != site_id) or user is None or site_id not in user["siteRoles"]:
        raise _faults.site_not_found(site_id)
    return Caller(state=state, user=user, site_id=site_id, role=user["siteRoles"][site_id])


def _version(api_version: str) -> tuple[int, ...]:
    return tuple(map(int, api_version.split(".")))
