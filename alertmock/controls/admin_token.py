"""The admin token of the control API: checked, and generated when the mock listens beyond loopback.

A mock shared by a team (a staging namespace, a CI service container) must not let whoever
reaches its port replace everyone's state or inject faults. ``alertmock/controls/controls.yaml`` declares
the bearer scheme; Connexion asks `token_info` about every control request. Without a token the
app serves the controls without that requirement (`without_security`), which is the default on
127.0.0.1, where only the developer's own machine can reach it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import replace
from typing import Any

from alertmock.app.config import Config
from alertmock.app.context import current_runtime

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})


def token_info(token: str) -> dict[str, Any] | None:
    """Connexion's ``x-bearerInfoFunc``: the token matches the configured one (in constant time)."""
    expected = current_runtime().config.admin_token
    if expected is None or not hmac.compare_digest(token.encode(), expected.encode()):
        return None
    return {"sub": "admin"}


def without_security(document: dict[str, Any]) -> dict[str, Any]:
    """The control API's document with no security requirement (no admin token configured)."""
    return {**document, "security": []}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def ensure_admin_token(config: Config) -> tuple[Config, str | None]:
    """The config to serve with, and the token if one was generated (to print once).

    Beyond loopback (``--host 0.0.0.0``, a LAN address, a host name) the controls always need a
    token: one given is kept, otherwise a random one is generated.
    """
    if config.admin_token is not None or is_loopback(config.host):
        return config, None
    token = secrets.token_urlsafe(24)
    return replace(config, admin_token=token), token
