"""Sign In and Sign Out: credentials tokens for `X-Tableau-Auth`, bound to the site signed in to."""

from __future__ import annotations

from typing import Any

from alertmock import Response, current_state, new_uuid, respond
from handlers.tableau import _faults

# The mock's tokens never expire; Tableau's default session lifetime is 240 minutes, shown as h:m:s.
ESTIMATED_TIME_TO_EXPIRATION = "240:00:00"


async def sign_in(api_version: str, body: dict[str, Any], **_: Any) -> Response:
    state = current_state()
    credentials = body["credentials"]
    content_url = str(credentials.get("site", {}).get("contentUrl", "")).lower()
    sites = await state.list("tableau.sites")
    site = next((s for s in sites if s["contentUrl"].lower() == content_url), None)
    user = _authenticate(await state.list("tableau.users"), credentials)
    # Tableau answers the same 401001 whatever was wrong, and so does the mock.
    if site is None or user is None or site["id"] not in user["siteRoles"]:
        raise _faults.signin_failed()
    token = new_uuid().replace("-", "")
    await state.put("tableau.tokens", token, {"id": token, "userId": user["id"], "siteId": site["id"]})
    return respond(
        {
            "credentials": {
                "token": token,
                "estimatedTimeToExpiration": ESTIMATED_TIME_TO_EXPIRATION,
                "site": {"id": site["id"], "contentUrl": site["contentUrl"]},
                "user": {"id": user["id"]},
            }
        }
    )


def _authenticate(users: list[dict[str, Any]], credentials: dict[str, Any]) -> dict[str, Any] | None:
    if "personalAccessTokenName" in credentials:
        pat = (credentials["personalAccessTokenName"], credentials.get("personalAccessTokenSecret"))
        return next((u for u in users if any((t["name"], t["secret"]) == pat for t in u["personalAccessTokens"])), None)
    name = str(credentials.get("name", "")).lower()  # Tableau user names are case-insensitive
    return next((u for u in users if u["name"].lower() == name and u["password"] == credentials.get("password")), None)


async def sign_out(api_version: str, token_info: dict[str, Any], **_: Any) -> Response:
    await current_state().delete("tableau.tokens", token_info["token"])
    return respond(None, 204)
