"""--traffic / --traffic-file: each breaking change says whether a recorded run called what it breaks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.servers import live_server
from tests.tools.diff._support import diff, diff_json

ROOT = Path(__file__).resolve().parents[3]
SITE = "13020592-762f-4de4-a25e-f4beb005836e"
ALERT = "e5a4b73e-5cbb-412d-907e-f31cc31684f7"
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
UPDATE = "PUT /api/{api-version}/sites/{site-id}/dataAlerts/{data-alert-id}"
LIST = "GET /api/{api-version}/sites/{site-id}/dataAlerts"
DETAILS = "GET /api/{api-version}/sites/{site-id}/dataAlerts/{data-alert-id}"


def _client_run(url: str) -> None:
    """What a frontend's run sends: three XML updates (two setting the frequency) and two list reads."""
    alert = f"{url}/api/3.12/sites/{SITE}/dataAlerts/{ALERT}"
    xml = {**TABLEAU, "Content-Type": "application/xml"}
    for body in (
        '<tsRequest><dataAlert frequency="daily"/></tsRequest>',
        '<tsRequest><dataAlert subject="Shipping" frequency="weekly"/></tsRequest>',
        '<tsRequest><dataAlert subject="Shipping"/></tsRequest>',
    ):
        assert httpx.put(alert, content=body, headers=xml).status_code == 200
    for page in (1, 2):
        listed = httpx.get(
            f"{url}/api/3.12/sites/{SITE}/dataAlerts", params={"pageSize": 1, "pageNumber": page}, headers=TABLEAU
        )
        assert listed.status_code in (200, 400)


@pytest.fixture
def sides(tmp_path: Path) -> Path:
    """base/: the contract; rev/: frequency no longer an attribute in requests, pageSize at least 5."""
    for side in ("base", "rev"):
        (tmp_path / side).mkdir()
        shutil.copy(ROOT / "openapi.yaml", tmp_path / side / "openapi.yaml")
        shutil.copytree(ROOT / "spec", tmp_path / side / "spec")
    path = tmp_path / "rev/spec/tableau.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schemas = data["components"]["schemas"]
    schemas["UpdateDataAlertRequest"]["properties"]["dataAlert"]["properties"]["frequency"]["xml"] = {
        "attribute": False
    }
    data["paths"]["data-alerts"]["get"]["parameters"][0]["schema"]["minimum"] = 5
    schemas["DataAlert"]["required"].remove("subject")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return tmp_path / "rev"


def _marks(changes: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    return {(c["operation"], c["id"]): c.get("traffic") for c in changes}


def _check(changes: list[dict[str, Any]]) -> None:
    marks = _marks(changes)
    # The request attribute: 3 updates recorded, 2 of them sent it.
    assert marks[(UPDATE, "request-property-xml-attribute-changed")] == {"calls": 3, "uses": 2}
    # The query parameter: both list reads sent pageSize.
    assert marks[(LIST, "request-parameter-min-increased")] == {"calls": 2, "uses": 2}
    # A response property: every answer carried it; no recorded run asked for an alert's details.
    assert marks[(UPDATE, "response-property-became-optional")] == {"calls": 3, "uses": 3}
    assert marks[(DETAILS, "response-property-became-optional")] == {"calls": 0, "uses": 0}
    # INFO changes are not marked; the contract-wide one has no operation.
    assert all(c.get("traffic") is None for c in changes if c["level"] == "INFO" or not c["operation"])


def test_a_running_mocks_journal_marks_the_changes(sides: Path) -> None:
    with live_server("--quiet") as server:
        _client_run(server.url)
        status, changes = diff_json(sides, "../base/openapi.yaml", "openapi.yaml", "--traffic", server.url)
        exported = httpx.get(f"{server.url}/__mock/requests", params={"session": "*"}).json()
    assert status == 1
    _check(changes)
    (sides / "journal.json").write_text(json.dumps(exported))
    assert diff_json(sides, "../base/openapi.yaml", "openapi.yaml", "--traffic-file", "journal.json")[1] == changes


def test_a_har_file_marks_the_changes(sides: Path) -> None:
    def entry(method: str, url: str, body: str = "", response: str = "") -> dict[str, Any]:
        request: dict[str, Any] = {"method": method, "url": url, "headers": [{"name": "X-Tableau-Auth", "value": ""}]}
        if body:
            request["postData"] = {"mimeType": "application/xml", "text": body}
        return {"request": request, "response": {"status": 200, "content": {"text": response}}}

    base = f"http://127.0.0.1:4010/api/3.12/sites/{SITE}/dataAlerts"
    answer = '<tsResponse xmlns="http://tableau.com/api"><dataAlert id="1" subject="s"/></tsResponse>'
    har = {
        "log": {
            "entries": [
                entry("PUT", f"{base}/{ALERT}", '<tsRequest><dataAlert frequency="daily"/></tsRequest>', answer),
                entry(
                    "PUT",
                    f"{base}/{ALERT}",
                    "<tsRequest><dataAlert/></tsRequest>",
                    "<tsResponse><dataAlert/></tsResponse>",
                ),
                entry("GET", f"{base}?pageSize=10"),
                entry("GET", f"{base}/{ALERT}/users/x"),  # another operation
            ]
        }
    }
    (sides / "run.har").write_text(json.dumps(har))
    _, changes = diff_json(sides, "../base/openapi.yaml", "openapi.yaml", "--traffic-file", "run.har")
    marks = _marks(changes)
    assert marks[(UPDATE, "request-property-xml-attribute-changed")] == {"calls": 2, "uses": 1}
    assert marks[(UPDATE, "response-property-became-optional")] == {"calls": 2, "uses": 1}
    assert marks[(LIST, "request-parameter-min-increased")] == {"calls": 1, "uses": 1}


def test_traffic_that_cannot_be_read_is_exit_2(sides: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (sides / "run.json").write_text('{"something": "else"}')
    assert diff(sides, "../base/openapi.yaml", "openapi.yaml", "--traffic-file", "run.json") == (2, "")
    assert "expected a request journal" in capsys.readouterr().err
