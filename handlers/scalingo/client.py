"""How Scalingo's official clients authenticate, for `alertmock verify` (named by the root contract).

They exchange the API token for a bearer JWT (``POST /v1/tokens/exchange``, Basic with an empty
user); on the real service that happens on auth.scalingo.com (``--auth-url``). The exchange itself
is called with the API token, every alert operation with the JWT.
"""

from __future__ import annotations

import base64

import httpx

# What `alertmock verify --against-mock` uses: the demo user's API token (fixtures/scalingo/), and
# the owner of another app (object_level_authorization).
MOCK_CREDENTIALS = {"token": "tk-us-demo-token"}
MOCK_SECOND_CREDENTIALS = {"token": "tk-us-other-token"}
# Path parameters of the mock's fixtures (kind, field): the app every alert belongs to.
MOCK_IDS = {"app": ("apps", "name")}

Credentials = tuple[dict[str, dict[str, str]], dict[str, str]]


def authenticate(
    url: str,
    *,
    token: str | None = None,
    auth_url: str | None = None,
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
    **_: object,
) -> Credentials:
    """Headers per security scheme (the JWT first: what the official clients send), no learnt ids."""
    if not token:
        raise ValueError("scalingo needs --token (a Scalingo API token, tk-us-...)")
    exchange = f"{auth_url or url}/v1/tokens/exchange"
    basic = {"Authorization": "Basic " + base64.b64encode(f":{token}".encode()).decode()}
    answer = httpx.post(exchange, headers={**(headers or {}), **basic}, timeout=timeout)
    if answer.status_code not in (200, 201):
        raise ValueError(f"Scalingo token exchange failed: POST {exchange} answered {answer.status_code}")
    try:
        jwt = answer.json().get("token")
    except (ValueError, AttributeError):
        jwt = None
    if not isinstance(jwt, str) or not jwt:
        raise ValueError(f"Scalingo token exchange: POST {exchange} answered {answer.status_code} without a token")
    return {"scalingoBearer": {"Authorization": f"Bearer {jwt}"}, "scalingoBasic": basic}, {}
