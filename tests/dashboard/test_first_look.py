"""The dashboard's and the Swagger UI's first look, in headless Chromium at a 1280 px window.

A mock whose journal already holds dozens of exchanges (some slowed by a latency fault, some
answered by an injected 503) is opened: the entries are there on the first render and the page
never says "No requests yet" meanwhile; a fault's badge and the time column are not cut; a 503
from a fault names the operation the request was for. The screenshot is written to the test's
folder (`ALERTMOCK_FIRST_LOOK=<file>` keeps a copy to look at).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alertmock import Config, create_app
from alertmock.tools.verify import serve_in_thread
from tests.browsers import CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

if CHROMIUM is not None:
    from playwright.sync_api import Page, sync_playwright

SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
# Set before the page's scripts run: notes if the empty-journal message is ever shown.
WATCH_EMPTY = """
window.sawEmpty = false;
const watch = () => {
  const empty = document.getElementById("journal-empty");
  if (empty && !empty.hidden && empty.offsetParent !== null) window.sawEmpty = true;
  requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_in_thread(create_app(Config(clock="2026-06-10T07:08:13.123456Z", seed=1, quiet=True))) as base:
        faults = {
            "rules": [
                {"path": "/api/subscriptions", "latency": {"fixed_ms": 20}},
                {"path": "/v1/apps/*/alerts/*", "method": "DELETE", "error": {"rate": 1, "status": 503}},
            ]
        }
        assert httpx.put(f"{base}/__mock/faults", json=faults).status_code == 200
        for _ in range(12):
            httpx.get(f"{base}/v1/apps/example-app/alerts", headers=SCALINGO)
            httpx.get(f"{base}/api/subscriptions", headers=MATATIKA)
        for _ in range(3):
            httpx.delete(f"{base}/v1/apps/example-app/alerts/al-anything", headers=SCALINGO)
        yield base


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        yield tab
        browser.close()


def test_the_first_render_shows_the_journal_readable_at_1280_px(server: str, page: Page, tmp_path: Path) -> None:
    page.add_init_script(WATCH_EMPTY)
    page.goto(f"{server}/__mock/")
    page.wait_for_selector("#journal tbody tr")
    rows = page.locator("#journal tbody tr")
    assert rows.count() == 27
    assert page.evaluate("window.sawEmpty") is False, "said 'No requests yet' while the journal held entries"
    assert page.locator("#journal-empty").is_hidden()

    # Nothing cut: each time cell and each status cell with a fault's badge shows all it holds.
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#journal td.time, #journal td:has(.tag.fault)')]
              .filter((td) => td.scrollWidth > td.clientWidth)
              .map((td) => td.textContent)"""
    )
    assert cut == []
    latency = page.locator("#journal tbody tr", has=page.locator(".tag.fault", has_text="latency"))
    assert latency.count() == 12
    assert re.fullmatch(r"07:08:13\.123", latency.first.locator("td.time").inner_text())  # the whole clock time

    # A 503 from a fault: the operation the request was for, as any other row.
    faulted = page.locator("#journal tbody tr", has=page.locator(".status.s5"))
    assert faulted.count() == 3
    assert faulted.first.locator("td.op").inner_text() == "delete_alert"

    screenshot = tmp_path / "first-look.png"
    page.screenshot(path=str(screenshot), full_page=False)
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("ALERTMOCK_FIRST_LOOK"):
        shutil.copy(screenshot, os.environ["ALERTMOCK_FIRST_LOOK"])


def test_an_empty_journal_says_so_once_it_has_answered(page: Page) -> None:
    with serve_in_thread(create_app(Config(seed=1, quiet=True))) as empty:
        page.goto(f"{empty}/__mock/")
        page.wait_for_selector("#journal-empty:not([hidden])")
        assert "No requests yet" in page.locator("#journal-empty").inner_text()


@pytest.mark.parametrize(("home", "base"), [("/ui/", ""), ("/__mock/ui/", "/__mock")])
def test_the_swagger_ui_lists_this_mock_as_its_server(server: str, page: Page, home: str, base: str) -> None:
    page.goto(server + home)
    page.wait_for_selector(".servers select option", state="attached")
    options = page.locator(".servers select option").evaluate_all("(options) => options.map((o) => o.value)")
    assert options == [server + base]
