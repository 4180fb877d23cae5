"""No credential in clear in what `serve` and `proxy` keep, show or print.

A developer's app signs in and calls the three vendors through `alertmock serve`, then through
`alertmock proxy` in front of a real upstream (the mock itself, whose token exchange answers a
token the contract does not allow, so the proxy reports it). Both run as users run them (the
console command on uvicorn, logging every request); the test then reads what anyone could read:
the journal (as the dashboard polls it, and the dashboard itself in Chromium, every exchange
opened), ``/__mock/violations``, the proxy's JUnit report and everything the process printed. None holds a password, token or cookie value, nor its base64
form; the journal and the violations show each by its fingerprint.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alertmock import Config, create_app
from alertmock.app.config import DEFAULT_SPEC
from alertmock.cli import demo_credentials
from alertmock.contract.redaction import fingerprint
from alertmock.tools.verify.local_server import serve_in_thread
from tests.browsers import CHROMIUM
from tests.servers import live_server

PASSWORD = "Wr0ng-Pa55word-x7"
PAT = ("alertmock-admin", "alertmock-admin-secret")
MATATIKA_TOKEN = "matatika-demo-token"
SCALINGO_TOKEN = "tk-us-demo-token"
BASIC = base64.b64encode(f":{SCALINGO_TOKEN}".encode()).decode()
COOKIE = "c00kie-value-9f3"
SITE = "13020592-762f-4de4-a25e-f4beb005836e"
SIGN_IN = "/api/3.12/auth/signin"

JSON = {"Accept": "application/json"}


def use_the_vendors(url: str) -> list[str]:
    """What an app does, with every kind of credential; returns the credentials it sent or got."""
    with httpx.Client(base_url=url, timeout=30, headers={"Cookie": f"sid={COOKIE}"}) as client:
        # A password in a sign-in the contract refuses (no name: the error quotes the body) and in one
        # the server refuses (wrong password), in JSON and XML.
        client.post(SIGN_IN, json={"credentials": {"password": PASSWORD, "site": {"contentUrl": ""}}}, headers=JSON)
        xml = f'<tsRequest><credentials name="admin" password="{PASSWORD}"><site contentUrl=""/></credentials></tsRequest>'
        client.post(SIGN_IN, content=xml, headers={"Content-Type": "application/xml"})
        # A personal access token's secret, and the token the sign-in issues, then used.
        pat = {"personalAccessTokenName": PAT[0], "personalAccessTokenSecret": PAT[1], "site": {"contentUrl": ""}}
        signed_in = client.post(SIGN_IN, json={"credentials": pat}, headers=JSON)
        assert signed_in.status_code == 200, signed_in.text
        tableau_token = signed_in.json()["credentials"]["token"]
        alerts = client.get(f"/api/3.12/sites/{SITE}/dataAlerts", headers={"X-Tableau-Auth": tableau_token})
        assert alerts.status_code == 200, alerts.text
        # A bearer token.
        assert client.get("/api/subscriptions", headers={"Authorization": f"Bearer {MATATIKA_TOKEN}"}).is_success
        # Basic credentials exchanged for a JWT, then used.
        exchanged = client.post("/v1/tokens/exchange", headers={"Authorization": f"Basic {BASIC}"})
        assert exchanged.status_code == 200, exchanged.text
        jwt = exchanged.json()["token"]
        client.get("/v1/apps/example-app/alerts", headers={"Authorization": f"Bearer {jwt}"})
    return [PASSWORD, PAT[1], tableau_token, MATATIKA_TOKEN, SCALINGO_TOKEN, BASIC, COOKIE, jwt]


def decodable_forms(value: str) -> set[str]:
    forms = {value}
    raw = value.encode()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode()
        forms |= {encoded, encoded.rstrip("=")}
    if value.count(".") == 2:  # a JWT: its claims and signature are the token's own
        forms |= set(value.split(".")[1:])
    if len(value) >= 24:  # a long token's start (a message cut short) is part of it
        forms.add(value[:16])
    return forms


def read_back(url: str) -> dict[str, str]:
    """What anyone on the machine reads back: the journal as the dashboard polls it, and the violations."""
    return {
        "journal": httpx.get(f"{url}/__mock/requests", params={"session": "*", "limit": 200}).text,
        "violations": httpx.get(f"{url}/__mock/violations").text,
    }


def dashboard_text(url: str, entries: int) -> str:
    """What the dashboard shows in a real browser: its list, and each exchange opened."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{url}/__mock/")
            rows = page.locator("#journal tbody tr")
            expect(rows).to_have_count(entries)
            shown = [page.locator("#journal").inner_text()]
            for index in range(entries):
                rows.nth(index).click()
                expect(page.locator("#detail-request")).to_be_visible()
                shown.append(page.locator("#detail").inner_text())
                page.click("#detail-close")
            return "\n".join(shown)
        finally:
            browser.close()


def assert_private(where: str, text: str, credentials: list[str]) -> None:
    for credential in credentials:
        for form in decodable_forms(credential):
            assert form not in text, f"{where} holds {form!r} (a form of {credential!r})"


def test_serve_keeps_no_credential_in_clear() -> None:
    with live_server() as run:
        credentials = use_the_vendors(run.url)
        read = read_back(run.url)
        if CHROMIUM is not None:
            read["the dashboard"] = dashboard_text(run.url, entries=7)
    for where, text in read.items():
        assert_private(where, text, credentials)
    journal = read["journal"]
    assert len(json.loads(journal)["requests"]) == 7
    if CHROMIUM is not None:
        assert "Bearer " + fingerprint(MATATIKA_TOKEN) in read["the dashboard"]
        assert fingerprint(PASSWORD) in read["the dashboard"]
    for credential in credentials:
        if credential != SCALINGO_TOKEN:  # sent base64-encoded: BASIC's fingerprint stands for it
            assert fingerprint(credential) in journal, credential
    assert f"Bearer {fingerprint(MATATIKA_TOKEN)}" in journal
    # The banner prints the contract's public demo credentials, by design; nothing else may.
    printed = run.printed.replace(demo_credentials(DEFAULT_SPEC), "")
    assert "POST /api/3.12/auth/signin 200" in printed
    assert_private("the log", printed, credentials)


class ExchangesBadTokens:
    """The real mock, whose token exchange answers a token the contract's pattern refuses: the
    proxy reports the response's body, quoting the value it judged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/tokens/exchange":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        start, *bodies = held
        token = json.loads(b"".join(m.get("body", b"") for m in bodies))["token"]
        body = json.dumps({"token": "not-a-jwt:" + token.replace(".", "~")}).encode()
        headers = [(n, v) for n, v in start["headers"] if n != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve_in_thread(ExchangesBadTokens(create_app(Config(seed=1)))) as url:
        yield url


def test_proxy_keeps_no_credential_in_clear(upstream: str, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    with live_server("--upstream", upstream, "--report", "junit", str(report), command="proxy") as run:
        credentials = use_the_vendors(run.url)
        read = read_back(run.url)
    read["JUnit report"] = report.read_text()
    read["the log and summary"] = run.printed
    for where, text in read.items():
        assert_private(where, text, credentials)
    assert "sessions.sign_in" in read["JUnit report"] and "POST /api/3.12/auth/signin" in run.printed
    journal = read["journal"]
    for credential in credentials:
        if credential != SCALINGO_TOKEN:
            assert fingerprint(credential) in journal, credential
    # The findings that quoted a credential quote its fingerprint: the password in a refused body,
    # the exchanged token the contract's pattern refuses.
    violations = {v["location"]: v["message"] for v in json.loads(read["violations"])["violations"]}
    assert fingerprint(PASSWORD) in violations["request.body /credentials"]
    jwt = credentials[-1]
    assert fingerprint(jwt) in violations["response.body /token"]
