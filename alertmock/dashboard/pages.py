"""`DashboardPages`: the ASGI layer answering the few paths that are pages, not API operations.

It sits outside the engine's middleware, so opening a page is never journaled, faulted or
delayed, and everything else passes straight through after one dictionary lookup and one prefix test.
`find` is that test alone, for the front layer (`alertmock/layers/front.py`), which calls the page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from alertmock.dashboard.swagger_ui import swagger_ui_home

STATIC = Path(__file__).with_name("static")
DASHBOARD = "/__mock/"
STATIC_PREFIX = "/__mock/static/"
# Where Connexion serves each API's Swagger UI (its assets stay Connexion's), that API's document,
# and whether "Authorize" starts with the vendors' demo credentials (the admin token is a secret).
SWAGGER_UIS = {
    "/ui/": ("/openapi.json", "alertmock · vendor APIs", True),
    "/__mock/ui/": ("/__mock/openapi.json", "alertmock · control API", False),
}


class DashboardPages:
    def __init__(self, app: ASGIApp, *, security_schemes: dict[str, dict], swagger_ui: bool = True) -> None:
        self.app = app
        self.files = {path.name: path for path in STATIC.iterdir() if path.is_file()}
        # Relative redirects, so the pages also work behind a proxy that mounts the mock on a sub-path.
        to_dashboard = RedirectResponse("__mock/", status_code=307)
        self.pages: dict[str, Callable[[], Response]] = {
            "/": lambda: to_dashboard,
            "/__mock": lambda: to_dashboard,
            DASHBOARD: lambda: _file(STATIC / "index.html"),
        }
        if swagger_ui:
            for home, (spec_url, title, demo) in SWAGGER_UIS.items():
                schemes = security_schemes if demo else {}
                html = HTMLResponse(swagger_ui_home(home, spec_url, title, schemes), headers=_NO_CACHE)
                self.pages[home] = self.pages[home + "index.html"] = lambda html=html: html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = self.find(scope) if scope["type"] == "http" else None
        await (self.app if page is None else page)(scope, receive, send)

    def find(self, scope: Scope) -> ASGIApp | None:
        """The page answering this HTTP request, or None (everything but a few GETs)."""
        if scope["method"] != "GET":
            return None
        path = scope["path"]
        page = self.pages.get(path)
        if page is not None:
            return page()
        if path.startswith(STATIC_PREFIX):
            found = self.files.get(path[len(STATIC_PREFIX) :])
            return _file(found) if found else Response("Not found", 404)
        return None


# Pages and scripts change with the installed version: the browser revalidates rather than guess.
_NO_CACHE = {"Cache-Control": "no-cache"}


def _file(path: Path) -> Response:
    return FileResponse(path, headers=_NO_CACHE)
