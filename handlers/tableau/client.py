"""How Tableau's clients authenticate, for `alertmock verify` (named by the root contract).

They sign in (``POST /api/{v}/auth/signin``) and send the token they get as ``X-Tableau-Auth``; the
site they signed in to is the parent of every data alert, so it becomes the run's ``{site-id}``.
Sign Out revokes the token it is sent: verify gives it a token of its own (`throwaway`).
"""

from __future__ import annotations

from typing import Any

import httpx

SCHEME = "tableauAuth"
# A version every data-driven-alert method has (they exist from 3.2).
API_VERSION = "3.12"
# What `alertmock verify --against-mock` uses: the server administrator of fixtures/tableau/, and
# another user of the same site (object_level_authorization).
MOCK_CREDENTIALS = {"username": "admin", "password": "admin"}
MOCK_SECOND_CREDENTIALS = {"username": "viewer", "password": "viewer"}
# Path parameters of the mock's fixtures (kind, field): the site every data alert lives on; and the
# API version to call.
MOCK_IDS = {"site-id": ("sites", "id"), "api-version": API_VERSION}

Credentials = tuple[dict[str, dict[str, str]], dict[str, str]]


def authenticate(
    url: str,
    *,
    token: str | None = None,
    username: str | None = None,
    password: str | None = None,
    site: str = "",
    auth_url: str | None = None,
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
    **_: object,
) -> Credentials:
    """Headers per security scheme, and the ids the sign-in taught (site, API version).

    ``headers`` go with the sign-in request (the mock's ``X-Mock-Session``: its tokens are per session).
    """
    if token:
        return {SCHEME: {"X-Tableau-Auth": token}}, {"api-version": API_VERSION}
    if not (username and password):
        raise ValueError("tableau needs --username and --password (or --token, an X-Tableau-Auth token)")
    body = {"credentials": {"name": username, "password": password, "site": {"contentUrl": site}}}
    signin = f"{auth_url or url}/api/{API_VERSION}/auth/signin"
    answer = httpx.post(signin, json=body, headers={**(headers or {}), "Accept": "application/json"}, timeout=timeout)
    if answer.status_code != 200:
        raise ValueError(f"Tableau sign-in failed: POST {signin} answered {answer.status_code}")
    credentials = _field(answer, signin, "credentials")
    token, site_id = credentials.get("token"), (credentials.get("site") or {}).get("id")
    if not isinstance(token, str) or not isinstance(site_id, str):
        raise ValueError(f"Tableau sign-in: POST {signin} answered 200 without credentials.token and site.id")
    return {SCHEME: {"X-Tableau-Auth": token}}, {"site-id": site_id, "api-version": API_VERSION}


# The operation that opens a session; verify signs out of every session a run opened (its own last).
SIGN_IN = "POST /api/{api-version}/auth/signin"


def session_headers(answer: Any) -> dict[str, str] | None:
    """The credential in a sign-in's answer (as data), or None."""
    token = ((answer or {}).get("credentials") or {}).get("token") if isinstance(answer, dict) else None
    return {"X-Tableau-Auth": token} if isinstance(token, str) and token else None


def close_session(url: str, headers: dict[str, str], *, timeout: float = 30.0) -> bool:
    """Sign out (``POST /api/{v}/auth/signout``): True when the session is closed or was already."""
    answer = httpx.post(f"{url}/api/{API_VERSION}/auth/signout", headers=headers, timeout=timeout)
    return answer.status_code in (200, 204, 401)


def throwaway(url: str, **options: Any) -> dict[str, dict[str, str]] | None:
    """A token of its own for Sign Out: a second sign-in, when the run has a user and password."""
    if options.get("token") or not (options.get("username") and options.get("password")):
        return None
    return authenticate(url, **options)[0]


def discover_ids(
    url: str,
    headers: dict[str, str],
    *,
    timeout: float = 30.0,
    known: dict[str, str] | None = None,
    avoid: set[str] | frozenset[str] = frozenset(),
    **_: object,
) -> dict[str, str]:
    """A data alert of the signed-in site, the parent of its recipients (one the user gave as expendable
    is avoided: it may be deleted before the recipients are tried)."""
    known = known or {}
    site, version = known.get("site-id"), known.get("api-version", API_VERSION)
    if not site:
        return {}
    answer = httpx.get(
        f"{url}/api/{version}/sites/{site}/dataAlerts",
        headers={**headers, "Accept": "application/json"},
        timeout=timeout,
    )
    if answer.status_code != 200:
        return {}
    try:
        alerts = answer.json()["dataAlerts"].get("dataAlert") or []
    except (ValueError, KeyError, AttributeError, TypeError):
        return {}
    for alert in alerts if isinstance(alerts, list) else [alerts]:
        if isinstance(alert, dict) and isinstance(alert.get("id"), str) and alert["id"] not in avoid:
            return {"data-alert-id": alert["id"]}
    return {}


def _field(answer: httpx.Response, where: str, name: str) -> dict[str, Any]:
    try:
        value = answer.json().get(name)
    except (ValueError, AttributeError):
        value = None
    if not isinstance(value, dict):
        raise ValueError(f"Tableau sign-in: POST {where} answered {answer.status_code} without {name!r} in JSON")
    return value
