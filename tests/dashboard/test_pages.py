"""The pages around the APIs: `/` to the dashboard, its files, and the Swagger UI home pages."""

from __future__ import annotations

import json
import re

import yaml
from starlette.testclient import TestClient

from alertmock.app.config import DEFAULT_SPEC
from alertmock.dashboard.swagger_ui import demo_authorizations
from tests.conftest import ClientFactory


def test_root_leads_to_the_dashboard(client: TestClient) -> None:
    first = client.get("/", follow_redirects=False)
    assert first.status_code == 307 and first.headers["location"] == "__mock/"
    page = client.get("/")
    assert page.url.path == "/__mock/"
    assert page.headers["content-type"].startswith("text/html")
    for asset in re.findall(r'(?:href|src)="(static/[^"]+)"', page.text):
        assert client.get(f"/__mock/{asset}").status_code == 200, asset
    assert client.get("/__mock", follow_redirects=False).headers["location"] == "__mock/"


def test_only_the_dashboards_own_files_are_served(client: TestClient) -> None:
    assert client.get("/__mock/static/dashboard.css").headers["content-type"].startswith("text/css")
    for path in ("/__mock/static/nothing.js", "/__mock/static/../controls.yaml", "/__mock/static/%2e%2e/controls.yaml"):
        assert client.get(path).status_code == 404, path


def test_the_pages_are_neither_journaled_nor_faulted(client: TestClient) -> None:
    everything_fails = {"rules": [{"error": {"rate": 1, "status": 503}}]}
    assert client.put("/__mock/faults", json=everything_fails).status_code == 200
    pages = ("/", "/__mock/", "/__mock/static/dashboard.js", "/ui/", "/ui/swagger-ui-bundle.js", "/openapi.json")
    for path in pages:
        assert client.get(path).status_code == 200, path
    assert client.get("/uix").status_code == 503  # only the Swagger UI's own path is spared
    journal = client.get("/__mock/requests", params={"session": "*"}).json()["requests"]
    assert [(e["path"], e["status"]) for e in journal] == [("/uix", 503)]


def _swagger_config(client: TestClient, home: str) -> dict:
    page = client.get(home)
    assert page.status_code == 200
    found = re.search(r'<script id="mock-config" type="application/json">(.*?)</script>', page.text, re.S)
    assert found, page.text
    return json.loads(found.group(1))


def test_the_swagger_ui_is_preauthorized_from_the_contracts_demo_credentials(client: TestClient) -> None:
    config = _swagger_config(client, "/ui/")
    assert client.get("/ui/" + config["spec"]).json()["info"]["title"].startswith("alertmock")
    assert config["authorizations"] == {
        "matatikaBearer": {"value": "matatika-demo-token"},
        "tableauAuth": {"value": "12ab34cd56ef78ab90cd12ef34ab56cd"},
        "scalingoBasic": {"username": "", "password": "tk-us-demo-token"},
    }
    schemes = yaml.safe_load(DEFAULT_SPEC.read_text(encoding="utf-8"))["components"]["securitySchemes"]
    assert config["authorizations"] == demo_authorizations(schemes)
    controls = _swagger_config(client, "/__mock/ui/")
    assert client.get("/__mock/ui/" + controls["spec"]).json()["info"]["title"] == "alertmock control API"
    assert controls["authorizations"] == {}  # its admin token is a secret, never pre-filled
    # Connexion still serves the Swagger UI's own scripts next to the page.
    assert client.get("/ui/swagger-ui-bundle.js").status_code == 200


def test_demo_credentials_are_read_as_people_write_them() -> None:
    schemes = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key", "x-demo-credential": "X-Key: abc (or sign in)"},
        "bearer": {"type": "http", "scheme": "bearer", "x-demo-credential": "Authorization: Bearer t0k"},
        "placeholder": {"type": "http", "scheme": "bearer", "x-demo-credential": "Authorization: Bearer <from /login>"},
        "basic": {"type": "http", "scheme": "basic", "x-demo-credential": "curl -u 'me:secret'"},
        "none": {"type": "http", "scheme": "basic"},
    }
    assert demo_authorizations(schemes) == {
        "key": {"value": "abc"},
        "bearer": {"value": "t0k"},
        "basic": {"username": "me", "password": "secret"},
    }


def test_without_the_swagger_ui_its_pages_are_not_served(client_factory: ClientFactory) -> None:
    client = client_factory(swagger_ui=False)
    assert client.get("/ui/").status_code == 404
    assert client.get("/__mock/").status_code == 200
