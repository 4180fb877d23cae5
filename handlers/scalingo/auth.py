"""Scalingo credentials: API tokens (HTTP Basic, empty user) and the bearer JWTs they exchange for.

API tokens live in ``fixtures/scalingo/tokens.json`` (kind ``scalingo.tokens``, keyed by the token).
A JWT is signed (HS256) with the setting ``scalingo.jwt_secret`` and accepted until its ``exp``,
measured on the mock's clock so that frozen and sped-up clocks expire tokens consistently. The
API token itself is also accepted as a bearer token, as the root contract documents.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt

from alertmock import UnauthorizedError, current_settings, current_state, new_uuid, now

DEFAULT_JWT_SECRET = "alertmock-scalingo-mock-signing-secret-not-a-real-one"
DEFAULT_TOKEN_TTL_SECONDS = 3600
ISSUER = "alertmock-scalingo"


async def basic_info(username: str, password: str, required_scopes: list[str] | None = None) -> dict[str, Any] | None:
    # `curl -u ":$AUTH_TOKEN"`: the user part is empty and ignored, the token is the password.
    return await _token_owner(password, scheme="basic")


async def bearer_info(token: str) -> dict[str, Any] | None:
    known = await _token_owner(token, scheme="bearer")
    if known is not None:
        return known
    try:
        claims = jwt.decode(
            token,
            _secret(),
            algorithms=["HS256"],
            issuer=ISSUER,
            # Time claims are checked against the mock's clock below, not the machine's.
            options={"require": ["exp", "sub"], "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.InvalidTokenError:
        return None
    if claims["exp"] <= now().timestamp():
        raise UnauthorizedError("token has expired")
    if await current_state().get("scalingo.users", claims["sub"]) is None:
        return None
    return {"sub": claims["sub"], "scheme": "jwt", "exp": claims["exp"]}


def issue_token(user_id: str) -> str:
    """A JWT for `user_id`, valid for the configured lifetime from the mock's current time."""
    issued = now()
    ttl = int(current_settings().get("scalingo.token_ttl_seconds", DEFAULT_TOKEN_TTL_SECONDS))
    claims = {
        "iss": ISSUER,
        "sub": user_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(seconds=ttl)).timestamp()),
        "jti": new_uuid(),
    }
    return jwt.encode(claims, _secret(), algorithm="HS256")


async def _token_owner(token: str, *, scheme: str) -> dict[str, Any] | None:
    if not token:
        return None
    state = current_state()
    record = await state.get("scalingo.tokens", token)
    if record is None or await state.get("scalingo.users", record["user_id"]) is None:
        return None
    return {"sub": record["user_id"], "scheme": scheme}


def _secret() -> str:
    return str(current_settings().get("scalingo.jwt_secret", DEFAULT_JWT_SECRET))
