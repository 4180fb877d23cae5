"""How Tableau's clients authenticate, for `alertmock verify` (named by the root contract).

They sign in first and send the token they get as ``X-Tableau-Auth``; the site they signed in to
is learnt too, so a run can aim at it (``--site-from-signin``).
"""

from __future__ import annotations

import httpx

# A version every data-driven-alert method has (they exist from 3.2).
API_VERSION = "3.12"
# What `alertmock verify --against-mock` uses: the server administrator of fixtures/tableau/.
MOCK_CREDENTIALS = {"username": "admin", "password": "admin"}


def authenticate(
    url: str,
    *,
    token: str | None = None,
    username: str | None = None,
    password: str | None = None,
    site: str = "",
    auth_url: str | None = None,
    timeout: float = 30.0,
    **_: object,
) -> tuple[dict[str, str], dict[str, str]]:
    if token:
        return {"X-Tableau-Auth": token}, {}
    if not (username and password):
        raise ValueError("tableau needs --username and --password (or --token, an X-Tableau-Auth token)")
    body = {"credentials": {"name": username, "password": password, "site": {"contentUrl": site}}}
    signin = f"{auth_url or url}/api/{API_VERSION}/auth/signin"
    answer = httpx.post(signin, json=body, headers={"Accept": "application/json"}, timeout=timeout)
    if answer.status_code != 200:
        raise ValueError(f"Tableau sign-in failed: POST {signin} answered {answer.status_code}")
    credentials = answer.json()["credentials"]
    return {"X-Tableau-Auth": credentials["token"]}, {"site-id": credentials["site"]["id"]}
