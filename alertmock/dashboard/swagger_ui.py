"""The Swagger UI home pages: Connexion's Swagger UI with two mock headers and the demo credentials.

Above the page, two inputs fill ``Prefer`` and ``X-Mock-Session`` on every "Try it out" (a
`requestInterceptor`), and "Authorize" starts filled with each security scheme's demo credential
(`preauthorizeApiKey` / `preauthorizeBasic`, kept across reloads by `persistAuthorization`).
The credentials come from the contract's ``x-demo-credential``s, the same lines ``alertmock serve``
prints; the Swagger UI's scripts and styles are still the ones Connexion serves next to the page.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from string import Template
from typing import Any

TEMPLATE = Template((Path(__file__).parent / "templates" / "swagger-ui.html").read_text(encoding="utf-8"))
DASHBOARD = "/__mock/"
STATIC = "/__mock/static/"

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


def swagger_ui_home(home: str, spec_url: str, title: str, security_schemes: dict[str, dict[str, Any]]) -> str:
    """The page served at `home` (``/ui/``), every link relative so a proxy may mount the mock on a sub-path."""
    config = {
        "spec": posixpath.relpath(spec_url, home),
        "authorizations": demo_authorizations(security_schemes),
    }
    return TEMPLATE.substitute(
        title=html.escape(title),
        static=posixpath.relpath(STATIC, home) + "/",
        dashboard=posixpath.relpath(DASHBOARD, home) + "/",
        # JSON inside <script>: "</" must not close the element.
        config=json.dumps(config).replace("</", "<\\/"),
    )
