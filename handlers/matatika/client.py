"""How Matatika's clients authenticate, for `alertmock verify` (named by the root contract)."""

from __future__ import annotations

# What `alertmock verify --against-mock` uses: the documented profile's demo token (fixtures/).
MOCK_CREDENTIALS = {"token": "matatika-demo-token"}


def authenticate(url: str, *, token: str | None = None, **_: object) -> tuple[dict[str, str], dict[str, str]]:
    """Headers for every request (a Matatika access token as Bearer), and no learnt parameters."""
    if not token:
        raise ValueError("matatika needs --token (a Matatika access token)")
    return {"Authorization": f"Bearer {token}"}, {}
