"""Lookups shared by the Matatika handlers: records that must exist, and the caller's profile."""

from __future__ import annotations

from typing import Any

from alertmock import ForbiddenError, NotFoundError, current_state

Record = dict[str, Any]


async def require(kind: str, id: str, message: str) -> Record:
    """The record of `matatika.<kind>` with `id`, or a 404 with Matatika's prerequisite wording."""
    record = await current_state().get(f"matatika.{kind}", id)
    if record is None:
        raise NotFoundError(message)
    return record


async def require_meltano_cloud(profile_id: str) -> None:
    """The alerts' documented prerequisite: the authenticated user must own a Meltano Cloud account."""
    profile = await current_state().get("matatika.profiles", profile_id) or {}
    if not profile.get("meltanoCloud"):
        raise ForbiddenError("The authenticated user must own a Meltano Cloud account")
