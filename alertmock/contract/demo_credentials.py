"""The contract's demo credentials (each security scheme's ``x-demo-credential``), read as secrets.

The same lines ``alertmock serve`` prints; the Swagger UI pre-fills them, and a recording
(``alertmock proxy --record``) is served to them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["demo_authorizations", "demo_secret"]

# `x-demo-credential` is written for people, as a header or a curl flag; these read the secret out.
_BEARER = re.compile(r"^\s*Authorization:\s*Bearer\s+(\S+)", re.IGNORECASE)
_BASIC = re.compile(r"""-u\s+["']?([^:"'\s]*):([^"'\s]+)""")


def demo_authorizations(security_schemes: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Per scheme, what Swagger UI pre-fills: ``{"value": …}`` (API key, bearer) or ``{"username", "password"}``.

    A scheme whose demo credential is a placeholder (``<token from POST /v1/tokens/exchange>``) is left empty.
    """
    found: dict[str, dict[str, str]] = {}
    for name, scheme in security_schemes.items():
        credential = scheme.get("x-demo-credential")
        if not isinstance(credential, str):
            continue
        kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        if kind == "apiKey" and scheme.get("in") == "header":
            match = re.match(rf"^\s*{re.escape(scheme['name'])}:\s*(\S+)", credential, re.IGNORECASE)
            value = match and match.group(1)
        elif kind == "http" and http_scheme == "bearer":
            match = _BEARER.match(credential)
            value = match and match.group(1)
        elif kind == "http" and http_scheme == "basic":
            match = _BASIC.search(credential)
            if match and not match.group(2).startswith("<"):
                found[name] = {"username": match.group(1), "password": match.group(2)}
            continue
        else:
            continue
        if value and not value.startswith("<"):
            found[name] = {"value": value}
    return found


def demo_secret(security_schemes: dict[str, dict[str, Any]], names: set[str]) -> str | None:
    """The secret of the first of the schemes `names` that has a demo credential: an API key's or
    bearer token's value, or a basic scheme's password (Scalingo's token)."""
    for name, authorization in demo_authorizations(security_schemes).items():
        if name in names:
            return authorization.get("value") or authorization.get("password")
    return None
