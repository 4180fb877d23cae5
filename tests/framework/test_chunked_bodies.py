"""Request bodies sent chunked (``Transfer-Encoding: chunked``, no ``Content-Length``), over a real
uvicorn server, as ``curl -T -``, Node's ``fetch`` with a stream, Java's ``HttpClient`` with an
input-stream publisher or Python ``requests`` with a generator send them.

Every operation of the contract that takes a body (the vendors' and the control API's) gets each of
its documented examples twice, in two fresh sessions of the mock: once with ``Content-Length``,
once chunked. The answers must be the same. An empty chunked body gets what an empty body with
``Content-Length: 0`` gets (the vendor's 400 where the body is required), and a chunked body over
``--max-body-bytes`` still gets the 413.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.transport.requests import REQUESTS_TRANSPORT

from alertmock.contract.document import Contract
from alertmock.controls import CONTROLS_SPEC
from tests.servers import LiveServer, live_server

ROOT = Path(__file__).resolve().parents[2]
MAX_BODY = 4096
CREDENTIALS = {
    "matatika": {"Authorization": "Bearer matatika-demo-token"},
    "tableau": {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
    "scalingo": {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},
}


def _alert() -> dict[str, Any]:
    return dict(json.loads((ROOT / "fixtures" / "matatika" / "alerts.json").read_text(encoding="utf-8"))[0])


# A documented Matatika alert's example ids are not the fixtures': the update goes to one that exists.
EXISTING = {"dataset-id": _alert()["datasetId"], "alert-id": _alert()["id"]}
VENDOR_OF_TAG = {tag: vendor.name for vendor in Contract(ROOT / "openapi.yaml").vendors for tag in vendor.tags}


def _operations() -> list[Any]:
    """The vendors' operations that take a body, then the control API's."""
    found = []
    for path, base in ((ROOT / "openapi.yaml", ""), (CONTROLS_SPEC, "/__mock")):
        schema = schemathesis.openapi.from_dict(Contract(path).resolved)
        schema.config.update(base_url=f"http://placeholder{base}")
        found += [r.ok() for r in schema.get_all_operations() if "requestBody" in r.ok().definition.raw]
    return found


OPERATIONS = _operations()
VENDOR_OPERATIONS = sum(bool(set(o.tags or ()) & set(VENDOR_OF_TAG)) for o in OPERATIONS)


def _examples(operation: Any) -> list[Any]:
    """The operation's documented examples as Schemathesis builds them (path parameters included);
    for an operation that documents none (the control API's state import), generated valid ones."""
    cases: list[Any] = []
    strategies = operation.get_strategies_from_examples() or [operation.as_strategy(GenerationMode.POSITIVE)]
    for strategy in strategies:

        @settings(
            max_examples=1 if strategies[0] is not strategy or len(strategies) > 1 else 3,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def collect(case: Any) -> None:
            for name, value in (case.path_parameters or {}).items():
                case.path_parameters[name] = EXISTING.get(name, value)
            cases.append(case)

        collect()
    return cases


_SESSIONS = itertools.count()
_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
_GENERATED = re.compile(rb"chunked-\d+|(?:al|tk|req)-[0-9a-f-]{8,}|\b[0-9a-f]{32}\b")


def _normalised(body: bytes) -> bytes:
    return _GENERATED.sub(b"<gen>", _TIME.sub(b"<time>", _UUID.sub(b"<id>", body)))


def _prepared(server: LiveServer, case: Any) -> requests.PreparedRequest:
    vendor = next((VENDOR_OF_TAG[t] for t in case.operation.tags or () if t in VENDOR_OF_TAG), None)
    base = server.url + ("/__mock" if vendor is None else "")
    data = REQUESTS_TRANSPORT.serialize_case(case, base_url=base, headers=CREDENTIALS.get(vendor or "", {}))
    if vendor is None:  # the control API, served without an admin token: no generated credential
        data["headers"].pop("Authorization", None)
    return requests.Request(**data).prepare()


def _send(
    client: httpx.Client, prepared: requests.PreparedRequest, *, chunked: bool, body: bytes | None = None
) -> httpx.Response:
    raw = prepared.body if body is None else body
    raw = raw.encode() if isinstance(raw, str) else (raw or b"")
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-length", "transfer-encoding")}
    headers["X-Mock-Session"] = f"chunked-{next(_SESSIONS)}"
    assert prepared.method is not None and prepared.url is not None
    if chunked:
        # An iterator of unknown length: httpx frames it chunked and sends no Content-Length.
        return client.request(prepared.method, prepared.url, headers=headers, content=iter([raw] if raw else []))
    return client.request(prepared.method, prepared.url, headers=headers, content=raw)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server("--quiet", "--clock", "2026-06-10T07:08:13Z", "--max-body-bytes", str(MAX_BODY)) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def test_the_client_really_sends_chunked_bodies(server: LiveServer, client: httpx.Client) -> None:
    # What the tests below rely on: the request on the wire has no Content-Length.
    request = client.build_request("POST", server.url, content=iter([b"{}"]))
    assert request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in request.headers


def test_every_operation_with_a_body_is_covered() -> None:
    contract = Contract(ROOT / "openapi.yaml")
    contract.include(Contract(CONTROLS_SPEC))
    with_body = {(o.method.upper(), o.path) for o in contract.operations.values() if "requestBody" in o.spec}
    covered = {(o.method.upper(), o.path.removeprefix("/__mock")) for o in OPERATIONS}
    assert len(with_body) == len(OPERATIONS) >= 10
    assert {path for _, path in covered} <= {path.removeprefix("/__mock") for _, path in with_body}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_a_chunked_body_is_answered_as_with_content_length(
    operation: Any, server: LiveServer, client: httpx.Client
) -> None:
    cases = [case for case in _examples(operation) if case.body is not None]
    assert cases, f"{operation.label} documents no example body"
    statuses = []
    for case in cases:
        prepared = _prepared(server, case)
        with_length = _send(client, prepared, chunked=False)
        chunked = _send(client, prepared, chunked=True)
        assert (chunked.status_code, _normalised(chunked.content)) == (
            with_length.status_code,
            _normalised(with_length.content),
        ), case.as_curl_command()
        assert b"RequestBody is required" not in chunked.content
        statuses.append(chunked.status_code)
    # The examples are the documents' own: at least one is accepted (not merely refused alike).
    assert any(200 <= status < 300 for status in statuses), (operation.label, statuses)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_an_empty_chunked_body_is_answered_as_an_empty_body(
    operation: Any, server: LiveServer, client: httpx.Client
) -> None:
    prepared = _prepared(server, _examples(operation)[0])
    empty = _send(client, prepared, chunked=False, body=b"")
    chunked = _send(client, prepared, chunked=True, body=b"")
    assert (chunked.status_code, chunked.content) == (empty.status_code, empty.content)
    if operation.definition.raw["requestBody"].get("required"):
        assert chunked.status_code == 400, chunked.text


# The limit guards the vendors' operations; the control API's are not limited (a state import of a
# seeded session may be larger), chunked or not.
@pytest.mark.parametrize("operation", OPERATIONS[:VENDOR_OPERATIONS], ids=lambda operation: operation.label)
def test_a_chunked_body_over_the_limit_gets_413(operation: Any, server: LiveServer, client: httpx.Client) -> None:
    prepared = _prepared(server, _examples(operation)[0])
    too_big = b" " * (MAX_BODY + 1)
    assert _send(client, prepared, chunked=True, body=too_big).status_code == 413
    assert _send(client, prepared, chunked=False, body=too_big).status_code == 413
