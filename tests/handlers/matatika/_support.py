"""Shared data for the Matatika tests: credentials, the documents' ids and examples, host rewriting."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC = Path(__file__).resolve().parents[3] / "spec" / "matatika.yaml"

DEMO = {"Authorization": "Bearer matatika-demo-token"}
SECOND = {"Authorization": "Bearer matatika-second-token"}
NO_CLOUD = {"Authorization": "Bearer matatika-no-cloud-token"}
# What the documents' curl examples send with every subscriptions request.
CURL_ACCEPT = {"Accept": "application/json, application/javascript, text/javascript, text/json"}
JSON = {"Content-Type": "application/json"}

DEMO_PROFILE = "auth0|5eb0327cbfd7490bff55feeb"
SECOND_PROFILE = "auth0|6f1e2d3c4b5a697887960a5b"
DATASET = "e05d715a-457d-49f9-8ecb-5c89649a46df"
SUBSCRIBED_DATASET = "e31c9cf7-5d81-4807-b1a5-0407e72d040a"
ALERT = "1d25e41d-7f3e-43cb-9ccf-14777e380e5d"
WORKSPACE = "bc81388a-26c9-4491-a732-2b8dff0aa621"
JOBS_WORKSPACE = "73bc3927-e760-48f0-9e43-e11e1351e7fb"
CHANNEL = "ff37c78c-c246-4b50-84a6-c3fb6e1e4491"
PIPELINE = "dd9f7d8e-6e95-4e29-a356-02382dc8275a"
IDLE_PIPELINE = "a6006410-e5b5-465b-838a-d8ca2132da47"
BUSY_PIPELINE = "3c1f0e2a-8b7d-4c6e-9f5a-1d2b3c4e5f60"
FAILING_PIPELINE = "9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0"
FINISHED_JOB = "f8a00cdb-4c65-4668-9112-add1fa9d9b97"
RUNNING_JOB = "acf4a4df-4fb3-48a9-a8c2-d15e5da08708"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

MOCK = "http://testserver"
LOCAL_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$")


@cache
def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def documented(name: str) -> Any:
    """A documented example as the contract holds it (verbatim), hosts rewritten to the mock's."""
    return rehost(_spec()["components"]["examples"][name]["value"])


def schema(name: str) -> dict[str, Any]:
    """A component schema, with the components alongside so its local $refs resolve."""
    return {**_spec()["components"]["schemas"][name], "components": _spec()["components"]}


def rehost(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: rehost(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rehost(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"^https://(app|catalog)\.matatika\.com", MOCK, value)
    return value
