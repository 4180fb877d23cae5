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
from pathlib import Path
from string import Template
from typing import Any

from alertmock.contract.demo_credentials import demo_authorizations

TEMPLATE = Template((Path(__file__).parent / "templates" / "swagger-ui.html").read_text(encoding="utf-8"))
DASHBOARD = "/__mock/"
STATIC = "/__mock/static/"


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
