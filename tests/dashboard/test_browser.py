"""The dashboard at /__mock/ in a real browser, against a real server.

Headless Chromium (Debian's `chromium`, driven by Playwright through `executable_path`) opens the
page served by uvicorn while an httpx client sends requests in two sessions, as a frontend
developer's app would. `ALERTMOCK_SCREENSHOT=docs/dashboard.png` also writes the README's picture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alertmock import Config, create_app
from alertmock.contract.redaction import fingerprint
from alertmock.tools.verify import serve_in_thread
from tests.browsers import CHROMIUM

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

if CHROMIUM is not None:
    from playwright.sync_api import Page, expect, sync_playwright

MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
SCALINGO = ("", "tk-us-demo-token")
PIPELINE = "a6006410-e5b5-465b-838a-d8ca2132da47"  # "Google Analytics to Postgres"
SITE = "13020592-762f-4de4-a25e-f4beb005836e"
SCREENSHOT = os.environ.get("ALERTMOCK_SCREENSHOT")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    # A frozen clock: a new job stays QUEUED until the page moves the clock. Queued 30 s, then
    # running 15 min, so "+1 min" lands in RUNNING.
    config = Config(
        clock="2026-06-10T07:08:13Z",
        seed=1,
        settings={"matatika.job_queue_seconds": 30, "matatika.job_run_seconds": 900},
    )
    with serve_in_thread(create_app(config)) as base:
        yield base


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1440, "height": 820})
        tab.on("dialog", lambda dialog: dialog.accept())  # "Reset session …?" and "Replace …?"
        yield tab
        browser.close()


def _client(base: str, session: str) -> httpx.Client:
    return httpx.Client(base_url=base, headers={"X-Mock-Session": session})


def rows(page: Page, text: str = "") -> object:
    return page.locator("#journal tbody tr", has_text=text)


def test_what_an_app_sent_in_two_sessions_is_seen_filtered_opened_faulted_and_moved_along(
    server: str, page: Page
) -> None:
    with _client(server, "web-app") as web, _client(server, "mobile-app") as mobile:
        assert web.get("/api/subscriptions", headers=MATATIKA).status_code == 200
        assert web.post(f"/api/pipelines/{PIPELINE}/jobs", headers=MATATIKA).status_code == 201
        assert mobile.get("/v1/apps/example-app/alerts", auth=SCALINGO).status_code == 200
        assert mobile.get("/v1/apps/no-such-app/alerts", auth=SCALINGO).status_code == 404
        assert web.get(f"/api/3.12/sites/{SITE}/dataAlerts", headers=TABLEAU).status_code == 200

        # `/` leads to the dashboard; both sessions' rows are there with their statuses.
        page.goto(server + "/")
        assert page.url == server + "/__mock/"
        expect(rows(page)).to_have_count(5)
        expect(rows(page, "/v1/apps/no-such-app/alerts").locator(".status")).to_have_text("404")
        expect(rows(page, "/api/subscriptions").locator(".status")).to_have_text("200")
        expect(rows(page, "/api/subscriptions")).to_contain_text("web-app")
        expect(rows(page, "/v1/apps/example-app/alerts")).to_contain_text("mobile-app")
        expect(rows(page, "/api/subscriptions")).to_contain_text("list_subscriptions")

        # Filtered to one session, only its rows remain.
        page.select_option("#filter-session", "mobile-app")
        expect(rows(page)).to_have_count(2)
        expect(rows(page, "web-app")).to_have_count(0)

        # One exchange opened: the response body as the app received it, beside the request.
        rows(page, "/v1/apps/example-app/alerts").click()
        response = page.locator("#detail-response")
        expect(response).to_be_visible()
        expect(response.locator("pre.body")).to_contain_text('"app_id": "5ab1128fdccb8b0001111963"')
        expect(page.locator("#detail-request")).to_contain_text("authorization")
        page.click("#detail-close")
        expect(page.locator("#detail")).to_be_hidden()

        # A 503 fault added from the form fails the session's next request, which the list shows.
        page.select_option("#filter-session", "")
        page.select_option("#target-session", "web-app")
        page.fill("#fault-form [name=path]", "/api/subscriptions")
        page.fill("#fault-form [name=error_rate]", "1")
        page.fill("#fault-form [name=error_status]", "503")
        page.click("#fault-form button[type=submit]")
        expect(page.locator("#faults")).to_contain_text("503 at 100%")
        assert web.get("/api/subscriptions", headers=MATATIKA).status_code == 503
        newest = rows(page).first
        expect(newest).to_contain_text("/api/subscriptions")
        expect(newest.locator(".status")).to_have_text("503")
        expect(newest).to_contain_text("error")  # the fault marker
        page.select_option("#filter-status", "5")
        expect(rows(page)).to_have_count(1)
        page.select_option("#filter-status", "")

    # The queued job runs once the page moves the simulated clock a minute on.
    job = page.locator("#jobs li", has_text="Google Analytics to Postgres").first
    expect(job.locator(".job-status")).to_have_text("QUEUED")
    page.click("[data-advance='60']")
    expect(job.locator(".job-status")).to_have_text("RUNNING")
    expect(page.locator("#clock-now")).to_have_text("2026-06-10 07:09:13 UTC")

    if SCREENSHOT:
        page.screenshot(path=Path(SCREENSHOT))


def test_a_session_exported_to_a_file_imports_into_another_and_resets(server: str, page: Page, tmp_path: Path) -> None:
    new_alert = {"alert": {"container_type": "web", "metric": "rpm_per_min", "limit": 1200}}
    with _client(server, "recorded") as recorded, _client(server, "replayed") as replayed:
        created = recorded.post("/v1/apps/example-app/alerts", json=new_alert, auth=SCALINGO)
        assert created.status_code == 201
        alert = f"/v1/apps/example-app/alerts/{created.json()['alert']['id']}"
        assert replayed.get(alert, auth=SCALINGO).status_code == 404

        page.goto(server + "/__mock/")
        with page.expect_download() as download:
            page.locator("#sessions li[data-session=recorded] button", has_text="Export").click()
        assert download.value.suggested_filename == "alertmock-recorded.json"
        saved = tmp_path / "scenario.json"
        download.value.save_as(saved)

        page.select_option("#target-session", "replayed")
        page.set_input_files("#import-file", saved)
        expect(page.locator("#notice")).to_contain_text('Imported scenario.json into session "replayed"')
        assert replayed.get(alert, auth=SCALINGO).status_code == 200

        page.locator("#sessions li[data-session=replayed] button", has_text="Reset").click()
        expect(page.locator("#notice")).to_contain_text('Session "replayed" is back to the fixtures')
        assert replayed.get(alert, auth=SCALINGO).status_code == 404


def test_with_an_admin_token_the_page_asks_for_it_or_takes_it_from_the_address(page: Page) -> None:
    with serve_in_thread(create_app(Config(admin_token="s3cret", seed=1))) as base:
        assert httpx.get(base + "/api/subscriptions", headers=MATATIKA).status_code == 200
        page.goto(base + "/__mock/")
        expect(page.locator("#token-box")).to_be_visible()
        expect(page.locator("#banner")).to_contain_text("admin token")
        page.fill("#token", "s3cret")
        page.press("#token", "Enter")
        expect(rows(page, "/api/subscriptions")).to_have_count(1)
        expect(page.locator("#banner")).to_be_hidden()

        page.evaluate("sessionStorage.clear()")
        page.goto(base + "/__mock/?token=s3cret")
        expect(rows(page, "/api/subscriptions")).to_have_count(1)
        assert page.url == base + "/__mock/"  # the token does not stay in the address bar or history


def test_the_swagger_ui_sends_the_mock_headers_with_the_contracts_demo_credentials(server: str, page: Page) -> None:
    page.goto(server + "/ui/")
    page.fill("#mock-prefer", "code=401")
    page.fill("#mock-session", "swagger-user")
    page.locator(".opblock-summary-path", has_text="/v1/apps/{app}/alerts").first.click()
    page.click("button.try-out__btn")
    page.fill("input[placeholder=app]", "example-app")
    page.click("button.execute")
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("401")
    sent = httpx.get(server + "/__mock/requests", params={"session": "swagger-user"}).json()["requests"]
    assert [(r["path"], r["status"]) for r in sent] == [("/v1/apps/example-app/alerts", 401)]
    headers = sent[0]["headers"]
    assert headers["prefer"] == "code=401"
    # ":tk-us-demo-token", pre-filled; the journal shows the credential by its fingerprint.
    assert headers["authorization"] == "Basic " + fingerprint("OnRrLXVzLWRlbW8tdG9rZW4=")
