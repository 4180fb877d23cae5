"""How Scalingo's official clients authenticate, for `alertmock verify` (named by the root contract).

They exchange the API token for a bearer JWT (``POST /v1/tokens/exchange``, Basic with an empty
user); on the real service that happens on auth.scalingo.com (``--auth-url``).
"""

from __future__ import annotations

import base64

import httpx

# What `alertmock verify --against-mock` uses: the demo user's API token (fixtures/scalingo/).
MOCK_CREDENTIALS = {"token": "tk-us-demo-token"}


def authenticate(
    url: str,
    *,
    token: str | None = None,
    auth_url: str | None = None,
    timeout: float = 30.0,
    **_: object,
) -> tuple[dict[str, str], dict[str, str]]:
    if not token:
        raise ValueError("scalingo needs --token (a Scalingo API token, tk-us-...)")
    exchange = f"{auth_url or url}/v1/tokens/exchange"
    basic = base64.b64encode(f":{token}".encode()).decode()
    answer = httpx.post(exchange, headers={"Authorization": f"Basic {basic}"}, timeout=timeout)
    if answer.status_code not in (200, 201):
        raise ValueError(f"Scalingo token exchange failed: POST {exchange} answered {answer.status_code}")
    return {"Authorization": f"Bearer {answer.json()['token']}"}, {}
