"""Jobs (document 002): the documents' requests and the lifecycle on the simulated clock."""

from __future__ import annotations

import json

import jsonschema
import pytest
from starlette.testclient import TestClient

from tests.conftest import ClientFactory

from ._support import (
    BUSY_PIPELINE,
    DEMO,
    FAILING_PIPELINE,
    FINISHED_JOB,
    IDLE_PIPELINE,
    JOBS_WORKSPACE,
    JSON,
    MOCK,
    RUNNING_JOB,
    UNKNOWN,
    documented,
    schema,
)

FROZEN = "2026-06-10T07:08:13Z"
FINISHED_LOG = documented("job-logs-text").splitlines()


def _advance(client: TestClient, seconds: float) -> None:
    assert client.post("/__mock/clock", json={"advance_seconds": seconds}).status_code == 200


def test_view_the_documented_job(client: TestClient) -> None:
    response = client.get(f"/api/jobs/{FINISHED_JOB}", headers=DEMO)

    assert response.status_code == 200
    assert response.json() == documented("completed-job")


def test_documented_job_lists(client: TestClient) -> None:
    workspace = client.get(f"/api/workspaces/{JOBS_WORKSPACE}/jobs", headers=DEMO)
    pipeline = client.get(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers=DEMO)

    assert workspace.status_code == pipeline.status_code == 200
    assert workspace.json() == documented("workspace-jobs")
    assert pipeline.json() == documented("pipeline-jobs")


def test_documented_logs_request_answers_ndjson(client: TestClient) -> None:
    response = client.get(
        f"/api/jobs/{FINISHED_JOB}/logs?sequence=0", headers={**DEMO, "Accept": "application/x-ndjson"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    for line in lines:
        jsonschema.validate(line, schema("JobLogLine"))
    assert lines[0] == documented("job-logs-ndjson")
    assert [entry["line"] for entry in lines] == FINISHED_LOG
    assert [entry["sequence"] for entry in lines] == list(range(len(FINISHED_LOG)))


def test_stream_json_numbers_lines_from_sequence(client: TestClient) -> None:
    response = client.get(
        f"/api/jobs/{FINISHED_JOB}/logs?sequence=5", headers={**DEMO, "Accept": "application/stream+json"}
    )

    assert response.headers["content-type"] == "application/stream+json"
    assert [json.loads(line)["sequence"] for line in response.text.splitlines()] == [5, 6]


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain"])
def test_logs_as_plain_text(client: TestClient, accept: str | None) -> None:
    headers = DEMO if accept is None else {**DEMO, "Accept": accept}

    response = client.get(f"/api/jobs/{FINISHED_JOB}/logs", headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == documented("job-logs-text")


def test_logs_from_a_sequence_and_204_past_the_end(client: TestClient) -> None:
    tail = client.get(f"/api/jobs/{FINISHED_JOB}/logs?sequence=6", headers=DEMO)
    past = client.get(f"/api/jobs/{FINISHED_JOB}/logs?sequence=7", headers=DEMO)

    assert tail.text.splitlines() == FINISHED_LOG[6:]
    assert past.status_code == 204
    assert past.content == b""


@pytest.mark.parametrize("sequence", ["-1", "x", "1.5"])
def test_a_bad_sequence_is_400(client: TestClient, sequence: str) -> None:
    response = client.get(f"/api/jobs/{FINISHED_JOB}/logs?sequence={sequence}", headers=DEMO)

    assert response.status_code == 400


def test_an_accept_it_cannot_serve_is_406(client: TestClient) -> None:
    response = client.get(f"/api/jobs/{FINISHED_JOB}/logs", headers={**DEMO, "Accept": "application/json"})

    assert response.status_code == 406
    assert response.json()["status"] == 406


def test_documented_stop_of_the_running_job_answers_202(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    running = client.get(f"/api/jobs/{RUNNING_JOB}", headers=DEMO).json()
    assert running["status"] == "RUNNING"
    assert running["_links"]["stop job"] == {"href": f"{MOCK}/api/jobs/{RUNNING_JOB}/stopped", "type": "PUT"}

    response = client.put(f"/api/jobs/{RUNNING_JOB}/stopped", headers={**DEMO, **JSON})

    assert response.status_code == 202
    assert response.json() == {**documented("stopped-job"), "endTime": "2026-06-10T07:08:13"}
    assert client.get(f"/api/jobs/{RUNNING_JOB}", headers=DEMO).json()["status"] == "STOPPED"
    assert client.get(f"/api/jobs/{RUNNING_JOB}/logs", headers=DEMO).text.splitlines()[-1].endswith("Job stopped")
    again = client.put(f"/api/jobs/{RUNNING_JOB}/stopped", headers={**DEMO, **JSON})
    assert again.status_code == 409


def test_stopping_a_finished_job_is_409(client: TestClient) -> None:
    response = client.put(f"/api/jobs/{FINISHED_JOB}/stopped", headers={**DEMO, **JSON})

    assert response.status_code == 409
    assert response.json()["message"] == f"Job {FINISHED_JOB} must have status RUNNING (its status is COMPLETE)"


def test_documented_delete_then_404(client: TestClient) -> None:
    response = client.delete(f"/api/jobs/{FINISHED_JOB}", headers=DEMO)

    assert response.status_code == 204
    assert client.get(f"/api/jobs/{FINISHED_JOB}", headers=DEMO).status_code == 404
    assert client.get(f"/api/jobs/{FINISHED_JOB}/logs", headers=DEMO).status_code == 404
    assert client.delete(f"/api/jobs/{FINISHED_JOB}", headers=DEMO).status_code == 404


def test_run_complete_logs_then_204(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)

    created = client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers={**DEMO, **JSON})

    assert created.status_code == 201
    job = created.json()
    assert created.headers["location"] == f"{MOCK}/api/jobs/{job['id']}"
    assert job["status"] == "QUEUED"
    assert job["type"] == "PIPELINE_RUN"
    assert {"startTime", "endTime", "exitCode"}.isdisjoint(job)
    url = f"/api/jobs/{job['id']}"
    assert client.get(f"{url}/logs", headers=DEMO).status_code == 204  # nothing logged while queued
    assert client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers={**DEMO, **JSON}).status_code == 409

    _advance(client, 2)  # the default queue time
    running = client.get(url, headers=DEMO).json()
    assert running["status"] == "RUNNING"
    assert running["startTime"] == "2026-06-10T07:08:15"
    first = client.get(f"{url}/logs", headers=DEMO).text.splitlines()
    _advance(client, 15)
    grown = client.get(f"{url}/logs", headers=DEMO).text.splitlines()
    assert 1 <= len(first) < len(grown)
    assert grown[: len(first)] == first
    assert client.get(f"{url}/logs?sequence={len(grown)}", headers=DEMO).status_code == 204

    _advance(client, 15)  # the default run time is over
    done = client.get(url, headers=DEMO).json()
    assert (done["status"], done["exitCode"], done["endTime"]) == ("COMPLETE", 0, "2026-06-10T07:08:45")
    assert "stop job" not in done["_links"]
    logs = client.get(f"{url}/logs", headers=DEMO).text.splitlines()
    assert logs[-1] == "2026-06-10T07:08:45 Job completed with exit code 0"
    assert client.get(f"{url}/logs?sequence={len(logs)}", headers=DEMO).status_code == 204
    newest = client.get(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers=DEMO).json()["_embedded"]["jobs"]
    assert [j["id"] for j in newest] == [job["id"], FINISHED_JOB]
    assert client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers={**DEMO, **JSON}).status_code == 201


def test_run_logs_while_running_then_stop(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    job = client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers={**DEMO, **JSON}).json()
    url = f"/api/jobs/{job['id']}"
    assert client.put(f"{url}/stopped", headers={**DEMO, **JSON}).status_code == 409  # still queued
    _advance(client, 10)
    before = client.get(f"{url}/logs", headers=DEMO).text.splitlines()

    stopped = client.put(f"{url}/stopped", headers={**DEMO, **JSON})

    assert stopped.status_code == 202
    assert stopped.json()["status"] == "STOPPED"
    assert stopped.json()["endTime"] == "2026-06-10T07:08:23"
    _advance(client, 60)  # a stopped job stays stopped
    assert client.get(url, headers=DEMO).json()["status"] == "STOPPED"
    assert client.get(f"{url}/logs", headers=DEMO).text.splitlines() == [*before, "2026-06-10T07:08:23 Job stopped"]


def test_durations_and_outcome_come_from_the_settings(client_factory: ClientFactory) -> None:
    settings = {"matatika.job_queue_seconds": 0, "matatika.job_run_seconds": 5, "matatika.job_outcome": "ERROR"}
    client = client_factory(clock=FROZEN, settings=settings)
    job = client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers={**DEMO, **JSON}).json()
    assert job["status"] == "RUNNING"

    _advance(client, 5)

    done = client.get(f"/api/jobs/{job['id']}", headers=DEMO).json()
    assert (done["status"], done["exitCode"]) == ("ERROR", 1)
    assert client.get(f"/api/jobs/{job['id']}/logs", headers=DEMO).text.splitlines()[-1].endswith("exit code 1")


def test_the_failing_pipeline_ends_in_error(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN)
    job = client.post(f"/api/pipelines/{FAILING_PIPELINE}/jobs", headers={**DEMO, **JSON}).json()

    _advance(client, 60)

    assert client.get(f"/api/jobs/{job['id']}", headers=DEMO).json()["status"] == "ERROR"


def test_a_pipeline_that_is_running_is_409(client: TestClient) -> None:
    response = client.post(f"/api/pipelines/{BUSY_PIPELINE}/jobs", headers={**DEMO, **JSON})

    assert response.status_code == 409
    assert response.json()["message"] == f"Pipeline {BUSY_PIPELINE} is already running (job {RUNNING_JOB})"


def test_delete_stops_a_running_job(client: TestClient) -> None:
    assert client.delete(f"/api/jobs/{RUNNING_JOB}", headers=DEMO).status_code == 204

    assert client.post(f"/api/pipelines/{BUSY_PIPELINE}/jobs", headers={**DEMO, **JSON}).status_code == 201


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/api/workspaces/{UNKNOWN}/jobs", f"Workspace {UNKNOWN} must exist"),
        (f"/api/pipelines/{UNKNOWN}/jobs", f"Pipeline {UNKNOWN} must exist"),
        (f"/api/jobs/{UNKNOWN}", f"Job {UNKNOWN} not found"),
    ],
)
def test_missing_resources_are_404(client: TestClient, path: str, message: str) -> None:
    response = client.get(path, headers=DEMO)

    assert response.status_code == 404
    assert response.json()["message"] == message


def test_job_list_pages_newest_first(client: TestClient) -> None:
    body = client.get(f"/api/workspaces/{JOBS_WORKSPACE}/jobs?size=1&page=1", headers=DEMO).json()

    assert [j["id"] for j in body["_embedded"]["jobs"]] == [FINISHED_JOB]
    assert body["page"] == {"size": 1, "totalElements": 2, "totalPages": 2, "number": 1}
    assert set(body["_links"]) == {"first", "prev", "self", "last"}


def test_the_control_apis_job_list_follows_the_clock_per_session(client_factory: ClientFactory) -> None:
    client = client_factory(clock=FROZEN, settings={"matatika.job_queue_seconds": 30, "matatika.job_run_seconds": 60})
    mine = {**DEMO, "X-Mock-Session": "mine"}
    created = client.post(f"/api/pipelines/{IDLE_PIPELINE}/jobs", headers=mine).json()

    def states(session: str) -> dict[str, str]:
        listed = client.get("/__mock/jobs", headers={"X-Mock-Session": session})
        assert listed.status_code == 200
        return {job["id"]: job["status"] for job in listed.json()["jobs"]}

    assert states("mine")[created["id"]] == "QUEUED"
    assert created["id"] not in states("someone-else")
    assert states("someone-else")[RUNNING_JOB] == "RUNNING"  # the fixtures' own, frozen jobs
    _advance(client, 31)
    assert states("mine")[created["id"]] == "RUNNING"
    _advance(client, 60)
    assert states("mine")[created["id"]] == "COMPLETE"
    newest = client.get("/__mock/jobs", headers={"X-Mock-Session": "mine"}).json()["jobs"][0]
    assert newest == {
        "vendor": "matatika",
        "id": created["id"],
        "status": "COMPLETE",
        "name": "Google Analytics to Postgres",
        "created": "2026-06-10T07:08:13",
        "started": "2026-06-10T07:08:43",
        "ended": "2026-06-10T07:09:43",
    }
