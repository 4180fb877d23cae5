"""The `tableauAuth` scheme's info function: an `X-Tableau-Auth` token to the user it was issued to."""

from __future__ import annotations

from typing import Any

from alertmock import current_state


async def token_info(api_key: str, required_scopes: list[str] | None = None) -> dict[str, Any] | None:
    """The token's owner as `sub`, and the site it is bound to (None: any site); None if unknown (401002)."""
    token = await current_state().get("tableau.tokens", api_key)
    if token is None:
        return None
    return {"sub": token["userId"], "siteId": token.get("siteId"), "token": api_key}
