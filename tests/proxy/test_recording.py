"""`alertmock proxy --record DIR` in front of a stand-in staging server (tests/proxy/staging.py),
then `serve --fixtures DIR` answering the same walk to the README's demo credentials."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from alertmock import Config, create_app
from alertmock.tools.verify.local_server import serve_in_thread
from tests.proxy import staging
from tests.proxy.conftest import MATATIKA, SCALINGO, TABLEAU, start_proxy

Answers = dict[str, tuple[int, object]]


@pytest.fixture(scope="module")
def staging_url() -> object:
    with serve_in_thread(staging.staging_app()) as url:
        yield url


def walk_scalingo(client: httpx.Client, auth: dict[str, str]) -> Answers:
    """Every list and every detail, as a client of the staging team's apps reads them."""
    answers: Answers = {}
    for app in staging.SCALINGO_PATHS:
        listed = client.get(f"/v1/apps/{app}/alerts", headers=auth)
        answers[listed.url.path] = (listed.status_code, listed.json())
        for alert in listed.json()["alerts"]:
            detail = client.get(f"/v1/apps/{app}/alerts/{alert['id']}", headers=auth)
            answers[detail.url.path] = (detail.status_code, detail.json())
    return answers


def walk_matatika(client: httpx.Client, auth: dict[str, str]) -> Answers:
    answers: Answers = {}

    def read(path: str) -> object:
        answer = client.get(path, headers=auth)
        answers[path] = (answer.status_code, answer.json())
        return answer.json()

    workspace, pipeline = staging.MATATIKA_WORKSPACE["id"], staging.MATATIKA_PIPELINE["id"]
    for listing in ("/api/subscriptions", f"/api/workspaces/{workspace}/members/subscriptions"):
        for item in read(listing)["_embedded"]["subscriptions"]:
            read(f"/api/subscriptions/{item['id']}")
    for listing in (f"/api/workspaces/{workspace}/jobs", f"/api/pipelines/{pipeline}/jobs"):
        for item in read(listing)["_embedded"]["jobs"]:
            read(f"/api/jobs/{item['id']}")
    return answers


def walk_tableau(client: httpx.Client, auth: dict[str, str]) -> Answers:
    answers: Answers = {}
    site = f"/api/3.2/sites/{staging.TABLEAU_SITE}/dataAlerts"
    for path in [site, *(f"{site}/{alert_id}" for alert_id in staging.TABLEAU_ALERT_IDS)]:
        answer = client.get(path, headers=auth)
        assert answer.headers["content-type"].startswith("application/xml"), answer.text
        # XML compared as the same infoset: attribute order and empty-element form are not data.
        answers[path] = (answer.status_code, ElementTree.canonicalize(answer.text))
    return answers


def walk(client: httpx.Client, demo: bool = False) -> Answers:
    return {
        **walk_tableau(client, {**TABLEAU, "Accept": "application/xml"} if demo else staging.TABLEAU_AUTH),
        **walk_scalingo(client, SCALINGO if demo else staging.SCALINGO_AUTH),
        **walk_matatika(client, MATATIKA if demo else staging.MATATIKA_AUTH),
    }


def record(staging_url: str, directory: Path) -> tuple[Answers, str]:
    proxy = start_proxy("--upstream", staging_url, "--record", str(directory))
    try:
        with httpx.Client(base_url=proxy.url, timeout=30) as client:
            answers = walk(client)
            broken = client.get(f"/v1/apps/{staging.SCALINGO_BROKEN}/alerts", headers=staging.SCALINGO_AUTH)
            assert broken.status_code == 200 and "alertmock-violation" in broken.headers
            flushed = client.post("/__mock/record/flush")
            assert flushed.status_code == 200, flushed.text
            assert "scalingo/alerts.json" in flushed.json()["files"]
            assert (directory / "scalingo" / "alerts.json").is_file()  # written before the proxy stops
    finally:
        code, out = proxy.stop()
    assert code == 1, out  # the broken answer is a violation
    return answers, out


@pytest.fixture(scope="module")
def recording(staging_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Answers, str]:
    directory = tmp_path_factory.mktemp("recorded")
    answers, out = record(staging_url, directory)
    return directory, answers, out


def test_every_recorded_answer_is_served_to_the_demo_credentials(
    recording: tuple[Path, Answers, str], staging_url: str
) -> None:
    directory, recorded, _ = recording
    assert len(recorded) == 5 + 10 + 3 and all(status == 200 for status, _ in recorded.values()), recorded
    with serve_in_thread(create_app(Config(fixtures=directory, seed=1))) as url, httpx.Client(base_url=url) as client:
        served = walk(client, demo=True)
        # Links name the host that answered: the proxy's in the recording (as staging wrote them
        # through it: the proxy passes answers on unchanged), the mock's now.
        assert served.keys() == recorded.keys()
        for path, answer in recorded.items():
            assert served[path] == _rehosted(answer, staging_url, url), path
        # The bundled kinds the recording lacks still serve (Scalingo's token exchange reads users).
        assert client.post("/v1/tokens/exchange", headers=SCALINGO).status_code == 200


def _rehosted(answer: tuple[int, object], old: str, new: str) -> tuple[int, object]:
    return answer[0], json.loads(json.dumps(answer[1]).replace(old, new))


def test_create_update_delete_work_on_top_of_the_recording(recording: tuple[Path, Answers, str]) -> None:
    directory, _, _ = recording
    app = create_app(Config(fixtures=directory, seed=1))
    with serve_in_thread(app) as url, httpx.Client(base_url=url, headers=SCALINGO) as client:
        base = "/v1/apps/shop-staging/alerts"
        created = client.post(base, json={"alert": {"container_type": "web", "metric": "cpu", "limit": 0.6}})
        assert created.status_code == 201, created.text
        new_id = created.json()["alert"]["id"]
        assert len(client.get(base).json()["alerts"]) == 3
        changed = client.patch(f"{base}/{new_id}", json={"alert": {"limit": 0.7}})
        assert changed.json()["alert"]["limit"] == 0.7
        assert client.get(f"{base}/{new_id}").json()["alert"]["limit"] == 0.7
        recorded_id = "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000001"
        assert client.delete(f"{base}/{recorded_id}").status_code == 204
        # `serve` does not record: the control API says so.
        assert client.post("/__mock/record/flush").status_code == 409
        assert client.get(f"{base}/{recorded_id}").status_code == 404
        assert [a["id"] for a in client.get(base).json()["alerts"]] == [
            "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000002",
            new_id,
        ]


def test_the_other_vendors_recordings_change_statefully_too(recording: tuple[Path, Answers, str]) -> None:
    directory, _, _ = recording
    app = create_app(Config(fixtures=directory, seed=1))
    with serve_in_thread(app) as url, httpx.Client(base_url=url) as client:
        # Tableau: the demo admin signs in to site "" and lands on the recorded site.
        signed = client.post(
            "/api/3.2/auth/signin",
            json={"credentials": {"name": "admin", "password": "admin", "site": {"contentUrl": ""}}},
            headers={"Accept": "application/json"},
        )
        assert signed.json()["credentials"]["site"]["id"] == staging.TABLEAU_SITE
        tableau = {"X-Tableau-Auth": signed.json()["credentials"]["token"], "Accept": "application/json"}
        alert = f"/api/3.2/sites/{staging.TABLEAU_SITE}/dataAlerts/{staging.TABLEAU_ALERT_IDS[0]}"
        changed = client.put(alert, json={"dataAlert": {"subject": "Revenue far below target"}}, headers=tableau)
        assert changed.status_code == 200, changed.text
        assert client.get(alert, headers=tableau).json()["dataAlert"]["subject"] == "Revenue far below target"
        # Matatika: a recorded subscription deleted, a job run on the recorded pipeline.
        subscription = f"/api/subscriptions/{staging.MATATIKA_SUBSCRIPTIONS[0][0]}"
        assert client.delete(subscription, headers=MATATIKA).status_code == 204
        assert client.get(subscription, headers=MATATIKA).status_code == 404
        run = client.post(f"/api/pipelines/{staging.MATATIKA_PIPELINE['id']}/jobs", headers=MATATIKA)
        assert run.status_code in (200, 201, 202), run.text
        listed = client.get(f"/api/pipelines/{staging.MATATIKA_PIPELINE['id']}/jobs", headers=MATATIKA).json()
        assert listed["_embedded"]["jobs"][0]["id"] == run.json()["id"]
        assert len(listed["_embedded"]["jobs"]) == 3


def test_an_answer_that_breaks_the_contract_is_reported_not_recorded(recording: tuple[Path, Answers, str]) -> None:
    directory, _, out = recording
    assert "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000004" not in (directory / "scalingo" / "alerts.json").read_text()
    assert "64f0a1b2c3d4e5f6a7b8c9d2" not in (directory / "scalingo" / "apps.json").read_text()
    not_recorded = out[out.index("Not recorded") :]
    assert f"GET /v1/apps/{staging.SCALINGO_BROKEN}/alerts (200)" in not_recorded
    assert "metric" in not_recorded


def test_recording_twice_gives_the_same_bytes_and_no_credential(
    staging_url: str, recording: tuple[Path, Answers, str], tmp_path: Path
) -> None:
    directory, _, _ = recording
    record(staging_url, tmp_path)
    first = {p.relative_to(directory): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert first == second
    everything = b"".join(first.values())
    credential = staging.SCALINGO_AUTH["Authorization"]
    for secret in (
        staging.SCALINGO_TOKEN,
        credential,
        credential.split()[1],
        staging.MATATIKA_TOKEN,
        staging.TABLEAU_TOKEN,
    ):
        assert secret.encode() not in everything
