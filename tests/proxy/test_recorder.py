"""The recorder on its own: merging by id, answers it cannot convert, and the layered fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from alertmock.app.config import DEFAULT_FIXTURES, DEFAULT_SPEC
from alertmock.contract.document import Contract
from alertmock.contract.redaction import Secrets
from alertmock.proxy.recording import Recorder
from alertmock.state.fixtures import load_fixtures, load_layered

OPERATION = "handlers.scalingo.alerts.get_alert"
ALERT = {
    "id": "al-1",
    "app_id": "app-1",
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "container_type": "web",
    "disabled": False,
    "metric": "cpu",
    "limit": 0.5,
    "send_when_below": False,
}


def _recorder() -> Recorder:
    contract = Contract(DEFAULT_SPEC)
    return Recorder(contract, load_fixtures(DEFAULT_FIXTURES), Secrets.from_document(contract.resolved))


def _observe(recorder: Recorder, alert: object, app: str = "app-1", violations: tuple[str, ...] = ()) -> int:
    return recorder.observe(
        method="GET",
        path=f"/v1/apps/{app}/alerts/al-1",
        operation_id=OPERATION,
        params={"app": app, "alert_id": "al-1"},
        status=200,
        headers={"content-type": "application/json"},
        body=orjson.dumps({"alert": alert}),
        violations=violations,
    )


def test_the_latest_answer_wins_and_a_parent_it_implies_keeps_what_was_known() -> None:
    recorder = _recorder()
    assert _observe(recorder, ALERT, app="shop") == 2
    _observe(recorder, {**ALERT, "limit": 0.9}, app="app-1")
    assert recorder.records["scalingo.alerts"]["al-1"]["limit"] == 0.9
    # The app was first named "shop" by the path; the later path names it by id, which says nothing new.
    assert recorder.records["scalingo.apps"]["app-1"]["name"] == "shop"


def test_an_answer_with_violations_or_an_unknown_shape_is_reported_not_recorded() -> None:
    recorder = _recorder()
    assert _observe(recorder, ALERT, violations=("response.body /alert/metric: required property missing",)) == 0
    assert _observe(recorder, {"id": "al-1"}) == 0  # past the contract only if the checks were off
    assert recorder.records == {}
    assert [r.violations[0].split(":")[0] for r in recorder.rejected] == [
        "response.body /alert/metric",
        "not convertible",
    ]


def test_a_recording_is_layered_on_the_bundled_fixtures_and_a_plain_folder_is_not(tmp_path: Path) -> None:
    recorder = _recorder()
    _observe(recorder, ALERT)
    recorder.flush(tmp_path)
    assert json.loads((tmp_path / "scalingo" / "apps.json").read_text())[0]["name"] == "app-1"  # named by its id
    layered = load_layered(tmp_path, DEFAULT_FIXTURES)
    assert [r["id"] for r in layered["scalingo.alerts"]] == ["al-1"]  # the recorded kind replaces the bundled one
    assert layered["scalingo.tokens"] == load_fixtures(DEFAULT_FIXTURES)["scalingo.tokens"]
    (tmp_path / "recording.json").unlink()
    assert set(load_layered(tmp_path, DEFAULT_FIXTURES)) == {"scalingo.alerts", "scalingo.apps"}
    assert json.loads((tmp_path / "scalingo" / "apps.json").read_text())[0]["owner_id"].startswith("us-")
