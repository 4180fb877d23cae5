"""`Prefer: dynamic=true` across every GET operation: fifty answers each, valid against the contract
with their formats checked, ids never repeated, paging figures that agree with the items."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import orjson
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.contract import xml as xml_codec
from alertmock.contract.document import Operation
from alertmock.contract.generation import Generator

ANSWERS = 50
CREDENTIALS = {
    "matatika": {"Authorization": "Bearer matatika-demo-token"},
    "tableau": {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
    "scalingo": {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},
}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

APP = create_app(Config(seed=3, clock="2026-06-10T07:08:13Z", quiet=True))
GETS = [
    op
    for op in APP.runtime.contract.operations.values()  # type: ignore[attr-defined]
    if op.method == "GET" and not op.operation_id.startswith("alertmock.")
]

# jsonschema's own checkers for date-time, date, email, uuid; `uri` needs a package it lacks.
FORMATS = oas30_format_checker


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return bool(parts.scheme and parts.netloc)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(APP, raise_server_exceptions=False) as test_client:
        yield test_client


def _url(operation: Operation) -> str:
    generator = Generator(seed=1)
    path = operation.path
    for parameter in operation.spec.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(generator.value(parameter["schema"])))
    return path


def _ids(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower().endswith("id") and isinstance(item, str) and _UUID.search(item):
                yield item
            yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def _longest_list(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return max((_longest_list(v) for v in value.values()), default=0)
    return 0


def _check_paging(body: Any) -> None:
    if not isinstance(body, dict):
        return
    if "page" in body and isinstance(body["page"], dict):  # Spring HAL
        count = _longest_list(body.get("_embedded", {}))
        assert body["page"]["totalElements"] == count
        assert body["page"]["number"] == 0 and body["page"]["size"] >= count
    if "pagination" in body:  # Tableau
        count = _longest_list({k: v for k, v in body.items() if k != "pagination"})
        assert body["pagination"]["totalAvailable"] == str(count)
        assert body["pagination"]["pageNumber"] == "1" and int(body["pagination"]["pageSize"]) >= count


@pytest.mark.parametrize("operation", GETS, ids=[op.operation_id for op in GETS])
def test_fifty_dynamic_answers_validate_with_their_formats(client: TestClient, operation: Operation) -> None:
    vendor = APP.runtime.contract.vendor_for(operation.path, operation.operation_id)  # type: ignore[attr-defined]
    url = _url(operation)
    seen_ids: set[str] = set()
    for seed in range(ANSWERS):
        response = client.get(url, headers={**CREDENTIALS[vendor.name], "Prefer": f"dynamic=true, seed={seed}"})
        assert response.status_code == 200, (seed, response.text)
        media_type = response.headers["content-type"].split(";")[0]
        schema = operation.responses["200"].content[media_type]["schema"]
        if "xml" in media_type:
            body = xml_codec.loads(response.content, schema)
        elif "json" in media_type:
            body = orjson.loads(response.content)
        else:
            body = response.text
        errors = [e.message for e in OAS30Validator(schema, format_checker=FORMATS).iter_errors(body)]
        assert errors == [], (seed, errors)
        ids = list(_ids(body))
        assert len(ids) == len(set(ids)), f"an id repeats within the answer for seed {seed}"
        assert not seen_ids & set(ids), f"seed {seed} repeats an id of another seed"
        seen_ids |= set(ids)
        _check_paging(body)


def test_the_same_seed_gives_the_same_answer(client: TestClient) -> None:
    headers = {**CREDENTIALS["scalingo"], "Prefer": "dynamic=true, seed=8"}
    first = client.get("/v1/apps/example-app/alerts", headers=headers)
    assert first.content == client.get("/v1/apps/example-app/alerts", headers=headers).content


def test_values_look_like_the_vendors(client: TestClient) -> None:
    alerts = client.get(
        "/v1/apps/example-app/alerts", headers={**CREDENTIALS["scalingo"], "Prefer": "dynamic=true, seed=4"}
    ).json()["alerts"]
    for alert in alerts:
        assert re.fullmatch(r"al-" + _UUID.pattern, alert["id"])  # the documented prefix, a new UUID
        assert alert["container_type"] in ("web", "worker", "clock")  # from the documents' examples
    jobs = client.get(
        "/api/workspaces/73bc3927-7e5a-4d4e-a0a3-6d1b2b2a4b6e/jobs",
        headers={**CREDENTIALS["matatika"], "Prefer": "dynamic=true, seed=4"},
    ).json()
    created = jobs["_embedded"]["jobs"][0]["created"]
    assert re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}", created)  # LocalDateTime, as Matatika writes it
