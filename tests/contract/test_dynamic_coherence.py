"""`Prefer: dynamic=true` answers that a client can use as a whole (alertmock/contract/coherence.py).

Fifty dynamic answers per Matatika GET operation, asked on a host of the test's own choosing: every
HAL `href` is on that host and names a path of the contract; a record's own links carry its id, and
links that carry the request's own ids lead to data that answers; times follow a record's life;
ids are not repeated in a list. Scalingo's alert lists hold the requested app's id and the
contract's `deleted_at`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.contract.document import Contract, Operation

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = 50
HOST = "http://mock.example.test:8123"
MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}
CONTRACT = Contract(ROOT / "openapi.yaml")
GETS = [
    operation
    for operation in CONTRACT.operations.values()
    if operation.method == "GET" and "matatika" in operation.operation_id and "logs" not in operation.path
]


def _fixture(kind: str) -> list[dict[str, Any]]:
    return list(json.loads((ROOT / "fixtures" / kind).with_suffix(".json").read_text(encoding="utf-8")))


# Each path parameter of the Matatika GETs, given a record that exists in the fixtures.
EXISTING = {
    "subscription-id": _fixture("matatika/subscriptions")[0]["id"],
    "alert-id": _fixture("matatika/alerts")[0]["id"],
    "dataset-id": _fixture("matatika/alerts")[0]["datasetId"],
    "pipeline-id": _fixture("matatika/pipelines")[0]["id"],
    "workspace-id": _fixture("matatika/workspaces")[0]["id"],
    "job-id": _fixture("matatika/jobs")[0]["id"],
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Config(seed=3, clock="2026-06-10T07:08:13Z", quiet=True))
    with TestClient(app, base_url=HOST) as test_client:
        yield test_client


def _url(operation: Operation) -> str:
    return re.sub(r"{([^}]+)}", lambda m: EXISTING[m.group(1)], operation.path)


def _hrefs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "href" and isinstance(item, str):
                yield item
            else:
                yield from _hrefs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _hrefs(item)


def _documented_links(operation: Operation) -> list[str]:
    """The documented example's links to paths of the contract (a Matatika alert's link to its
    dataset names a path the documents do not describe)."""
    response = operation.responses["200"]
    examples = [e for media in response.content for e in response.examples(media).values()]
    return [href for example in examples for href in _hrefs(example) if CONTRACT.path_template(urlsplit(href).path)]


def _records(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _records(item)
    elif isinstance(value, list):
        for item in value:
            yield from _records(item)


def _lists(value: Any) -> Iterator[list[Any]]:
    if isinstance(value, list):
        yield value
    for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        yield from _lists(item)


def _check_times(record: dict[str, Any]) -> None:
    created, modified = record.get("created"), record.get("lastModified")
    if created and modified:
        assert created <= modified, record
    start, end = record.get("startTime"), record.get("endTime")
    if created and start:
        assert created <= start, record
    if start and end:
        assert start <= end, record


@pytest.mark.parametrize("operation", GETS, ids=[operation.operation_id for operation in GETS])
def test_fifty_dynamic_answers_link_back_to_the_mock_and_agree_with_themselves(
    client: TestClient, operation: Operation
) -> None:
    url = _url(operation)
    requested = {value for value in EXISTING.values() if value in url}
    followed: dict[str, int] = {}
    for seed in range(ANSWERS):
        answer = client.get(url, headers={**MATATIKA, "Prefer": f"dynamic=true;seed={seed}"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["preference-applied"] == f"dynamic=true, seed={seed}"
        body = answer.json()
        hrefs = list(_hrefs(body))
        assert hrefs or not _documented_links(operation), "the documented answer links to the contract's paths"
        for href in hrefs:
            parts = urlsplit(href)
            assert f"{parts.scheme}://{parts.netloc}" == HOST, href
            assert CONTRACT.path_template(parts.path) is not None, f"{href} is no path of the contract"
            if any(value in parts.path for value in requested) and "GET" in CONTRACT.allowed_methods(parts.path):
                followed.setdefault(href, 0)
        for record in _records(body):
            _check_times(record)
            links = record.get("_links")
            if isinstance(links, dict) and "id" in record and "self" in links:
                assert urlsplit(links["self"]["href"]).path.endswith("/" + record["id"]), record
        for listed in _lists(body):
            ids = [item.get("id") if isinstance(item, dict) else item for item in listed]
            ids = [i for i in ids if isinstance(i, str)]
            assert len(ids) == len(set(ids)), f"seed {seed}: an id repeats in {listed}"
        if url.endswith(tuple(requested)):  # one record asked for by its id: that record
            assert body["id"] == url.rsplit("/", 1)[1]
    # Links that carry the request's own ids lead to what exists (read without Prefer).
    for href in followed:
        assert client.get(href, headers=MATATIKA).status_code == 200, href
    if requested and operation.path.endswith("s"):  # a list under a parent: its own link is followed
        assert followed, operation.path


@pytest.mark.parametrize(("app", "app_id"), [(app["name"], app["id"]) for app in _fixture("scalingo/apps")[:2]])
def test_dynamic_scalingo_alerts_belong_to_the_requested_app_as_the_contract_says(
    client: TestClient, app: str, app_id: str
) -> None:
    operation = CONTRACT.operations["handlers.scalingo.alerts.list_alerts"]
    schema = operation.responses["200"].content["application/json"]["schema"]["properties"]["alerts"]["items"]
    assert schema["properties"]["deleted_at"]["enum"] == ["0001-01-01T00:00:00Z"]  # Go's zero time
    notifiers_seen = 0
    for seed in range(ANSWERS):
        answer = client.get(f"/v1/apps/{app}/alerts", headers={**SCALINGO, "Prefer": f"dynamic=true;seed={seed}"})
        assert answer.status_code == 200
        alerts = answer.json()["alerts"]
        assert len({alert["id"] for alert in alerts}) == len(alerts)
        for alert in alerts:
            assert alert["app_id"] == app_id
            assert alert["deleted_at"] == "0001-01-01T00:00:00Z"
            assert alert["created_at"] <= alert["updated_at"]
            assert len(set(alert["notifiers"])) == len(alert["notifiers"])
            notifiers_seen += len(alert["notifiers"])
    assert notifiers_seen > ANSWERS  # the lists were not emptied to get there
