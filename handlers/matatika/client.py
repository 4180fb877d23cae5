"""How Matatika's clients authenticate and find their resources, for `alertmock verify` (named by the root contract)."""

from __future__ import annotations

import re

import httpx

SCHEME = "matatikaBearer"
# What `alertmock verify --against-mock` uses: the documented profile's demo token (fixtures/), and
# another profile, a member of the same workspace (object_level_authorization).
MOCK_CREDENTIALS = {"token": "matatika-demo-token"}
MOCK_SECOND_CREDENTIALS = {"token": "matatika-second-token"}
# Path parameters of the mock's fixtures (kind, field): the parents of alerts, subscriptions and jobs.
MOCK_IDS = {
    "dataset-id": ("alerts", "datasetId"),  # the dataset the documented alert is on
    "workspace-id": ("workspaces", "id"),
    "pipeline-id": ("pipelines", "id"),
    "channel-id": ("channels", "id"),
}
# A subscription's HAL links name its target: /api/<kind>s/<id> -> {<kind>-id}.
_TARGET = re.compile(r"/api/(dataset|workspace|pipeline|channel)s/([^/?#]+)$")

Credentials = tuple[dict[str, dict[str, str]], dict[str, str]]


def authenticate(url: str, *, token: str | None = None, **_: object) -> Credentials:
    """Headers per security scheme (a Matatika access token as Bearer), and no learnt ids."""
    if not token:
        raise ValueError("matatika needs --token (a Matatika access token)")
    return {SCHEME: {"Authorization": f"Bearer {token}"}}, {}


def discover_ids(url: str, headers: dict[str, str], *, timeout: float = 30.0, **_: object) -> dict[str, str]:
    """Parent ids the profile can use, the HAL way: its subscriptions link to what they follow."""
    answer = httpx.get(f"{url}/api/subscriptions", headers=headers, timeout=timeout)
    if answer.status_code != 200:
        return {}
    found: dict[str, str] = {}
    try:
        subscriptions = answer.json().get("_embedded", {}).get("subscriptions", [])
    except (ValueError, AttributeError):
        return {}
    for subscription in subscriptions:
        for link in (subscription.get("_links") or {}).values():
            match = _TARGET.search(str(link.get("href", "")) if isinstance(link, dict) else "")
            if match:
                found.setdefault(f"{match[1]}-id", match[2])
    return found
