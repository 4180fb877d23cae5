"""`alertmock import-har`: a HAR file recorded by Chromium (through Playwright) while a page calls
the stand-in staging server of tests/proxy/staging.py, turned into fixtures that `serve --fixtures`
answers the same walk from, to the README's demo credentials."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from alertmock import Config, create_app
from alertmock.tools.verify.local_server import serve_in_thread
from tests.browsers import CHROMIUM
from tests.proxy import staging
from tests.proxy.test_recording import walk

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

_FETCH_ALL = """async (calls) => {
  const answers = {};
  for (const [path, headers] of calls) {
    const answer = await fetch(path, {headers});
    answers[path] = [answer.status, await answer.text()];
  }
  return answers;
}"""


def _calls() -> list[tuple[str, dict[str, str]]]:
    """Every list and detail the proxy test walks, as the page's code calls them."""
    calls = []
    for app in staging.SCALINGO_PATHS:
        app_id = next(i for i, name in staging.SCALINGO_APPS.items() if app in (i, name))
        calls.append((f"/v1/apps/{app}/alerts", staging.SCALINGO_AUTH))
        calls += [(f"/v1/apps/{app}/alerts/{a['id']}", staging.SCALINGO_AUTH) for a in staging.SCALINGO_ALERTS[app_id]]
    calls.append((f"/v1/apps/{staging.SCALINGO_BROKEN}/alerts", staging.SCALINGO_AUTH))
    workspace, pipeline = staging.MATATIKA_WORKSPACE["id"], staging.MATATIKA_PIPELINE["id"]
    matatika = ["/api/subscriptions", f"/api/workspaces/{workspace}/members/subscriptions"]
    matatika += [f"/api/subscriptions/{entry[0]}" for entry in staging.MATATIKA_SUBSCRIPTIONS]
    matatika += [f"/api/workspaces/{workspace}/jobs", f"/api/pipelines/{pipeline}/jobs"]
    matatika += [f"/api/jobs/{job['id']}" for job in staging.MATATIKA_JOBS]
    calls += [(path, staging.MATATIKA_AUTH) for path in matatika]
    site = f"/api/3.2/sites/{staging.TABLEAU_SITE}/dataAlerts"
    calls += [(path, staging.TABLEAU_AUTH) for path in [site, *(f"{site}/{i}" for i in staging.TABLEAU_ALERT_IDS)]]
    return calls


def _browse(staging_url: str, har: Path) -> dict[str, tuple[int, str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(record_har_path=str(har))
            page = context.new_page()
            page.goto(f"{staging_url}/")
            answers = page.evaluate(_FETCH_ALL, [[path, headers] for path, headers in _calls()])
            # Another host (the same server by another name): skipped by the import, and counted.
            other = staging_url.replace("127.0.0.1", "localhost")
            page.evaluate("async (url) => { await fetch(url, {mode: 'no-cors'}); }", f"{other}/static/logo.png")
            context.close()  # writes the HAR
        finally:
            browser.close()
    return {path: (status, text) for path, (status, text) in answers.items()}


@pytest.fixture(scope="module")
def staging_url() -> object:
    with serve_in_thread(staging.staging_app()) as url:
        yield url


def test_a_chromium_har_becomes_fixtures_the_mock_serves_to_the_demo_credentials(
    staging_url: str, tmp_path: Path
) -> None:
    har = tmp_path / "staging.har"
    browsed = _browse(staging_url, har)
    out = tmp_path / "recorded"
    done = subprocess.run(
        [sys.executable, "-m", "alertmock.cli", "import-har", str(har), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the broken answer broke the contract
    report = done.stdout
    assert "Skipped 1 entry for other hosts (localhost:" in report, report
    assert f"GET /v1/apps/{staging.SCALINGO_BROKEN}/alerts (200)" in report[report.index("Not recorded") :]

    with serve_in_thread(create_app(Config(fixtures=out, seed=1))) as url, httpx.Client(base_url=url) as client:
        served = walk(client, demo=True)
    assert len(served) == 18
    for path, answer in served.items():
        status, text = browsed[path]
        text = text.replace(staging_url, url)
        expected = ElementTree.canonicalize(text) if text.startswith("<?xml") else json.loads(text)
        assert answer == (status, expected), path

    everything = b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())
    for secret in (staging.SCALINGO_TOKEN, staging.MATATIKA_TOKEN, staging.TABLEAU_TOKEN):
        assert secret.encode() not in everything
    assert staging.MATATIKA_TOKEN.encode() in har.read_bytes()  # the HAR had them: the import left them out


def test_the_same_har_imported_twice_gives_the_same_bytes(staging_url: str, tmp_path: Path) -> None:
    har = tmp_path / "staging.har"
    _browse(staging_url, har)
    files = []
    for name in ("first", "second"):
        subprocess.run(
            [sys.executable, "-m", "alertmock.cli", "import-har", str(har), "--out", str(tmp_path / name)],
            capture_output=True,
            timeout=120,
        )
        root = tmp_path / name
        files.append({p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()})
    assert files[0] == files[1] and len(files[0]) == 14


def test_entries_a_browser_writes_but_that_hold_no_answer_are_counted_not_crashed_on(tmp_path: Path) -> None:
    url = "https://api.example/v1/apps/example-app/alerts"
    answered = {"status": 200, "headers": [{"name": "X-Owner", "value": "Zoë ☃"}], "content": {"text": "{}"}}
    entries = [
        {"request": {"method": "GET", "url": url, "headers": []}, "response": answered},
        {"request": {"method": "GET", "url": url, "headers": []}},  # no response
        {"request": {"method": "GET", "url": url, "headers": []}, "response": {"status": 0, "headers": []}},
        {"request": {"method": "GET", "url": url, "headers": []}, "response": {"status": 304, "headers": []}},
        "not an entry",
    ]
    har = tmp_path / "odd.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "alertmock.cli", "import-har", str(har), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "Skipped 2 entries without an answer to record" in done.stdout
    assert "Skipped 2 entries that are not HAR entries" in done.stdout
    # The one answered entry broke the contract ({} has no "alerts"): named, and the exit says so.
    assert "GET /v1/apps/example-app/alerts (200):" in done.stdout
    assert done.returncode == 1
