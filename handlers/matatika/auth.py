"""Bearer tokens: `fixtures/matatika/tokens.json` maps each token to a profile."""

from __future__ import annotations

from typing import Any

from alertmock import current_state


async def bearer_info(token: str) -> dict[str, Any] | None:
    """The token's profile as Connexion's token_info (`sub` is the profile id), or None: 401."""
    state = current_state()
    issued = await state.get("matatika.tokens", token)
    profile = await state.get("matatika.profiles", issued["profileId"]) if issued else None
    if profile is None:
        return None
    return {"sub": profile["id"], "profile": profile["id"], "scope": []}
