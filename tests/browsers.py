"""A page on another origin in headless Chromium: what the browser tests open before they `fetch`.

Debian's `chromium`, driven by Playwright through `executable_path` (Playwright downloads no
browser here). The page is served from its own loopback port, so the browser applies CORS to it
as to a frontend under development, or to any page a developer happens to visit.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian package: chromium)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def page_origin(folder: Path, html: str) -> Iterator[str]:
    """Serve `html` as `/index.html` from a port of its own: the origin of the page."""
    (folder / "index.html").write_text(html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def open_page(origin: str) -> Iterator[Any]:
    """A Chromium tab on the origin's page, whose `evaluate` runs the test's `fetch`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.goto(f"{origin}/index.html")
            yield tab
        finally:
            browser.close()
