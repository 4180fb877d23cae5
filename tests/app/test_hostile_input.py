"""Hostile input gets the vendor's 4xx, never a 500: on every vendor, for every kind of bad request.

Each vendor is attacked on one operation that takes a body and one that reads by id, with valid
credentials so the request gets past security. Response validation is on (the shared `client`
fixture), so an error body the contract does not allow would surface as a 500 too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from alertmock import Config, create_app

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Target:
    vendor: str
    headers: dict[str, str]
    # An operation with a request body: method, path, a valid body and its media type.
    write: tuple[str, str]
    body: bytes
    media_type: str
    # An operation reading one resource; "{id}" is where hostile path parameters go.
    read: str
    error_media_types: tuple[str, ...] = field(default=("application/json",))


TABLEAU_SITE = "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
TARGETS = [
    Target(
        vendor="matatika",
        headers={"Authorization": "Bearer matatika-demo-token"},
        write=("PUT", "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba"),
        body=b'{"type": "ALERTS"}',
        media_type="application/json",
        read="/api/subscriptions/{id}",
    ),
    Target(
        vendor="tableau",
        headers={"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
        write=("PUT", f"{TABLEAU_SITE}/dataAlerts/1a1b1c1d-2e2f-2a2b-3c3d-3e3f4a4b4c4d"),
        body=b'<tsRequest><dataAlert subject="Data alert - Shipping" frequency="daily" public="true"/></tsRequest>',
        media_type="application/xml",
        read=f"{TABLEAU_SITE}/dataAlerts/{{id}}",
        error_media_types=("application/xml", "application/json"),
    ),
    Target(
        vendor="scalingo",
        headers={"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},  # curl -u ":tk-us-demo-token"
        write=("POST", "/v1/apps/5ab1128fdccb8b0001111963/alerts"),
        body=b'{"alert": {"container_type": "web", "metric": "cpu", "limit": 0.5}}',
        media_type="application/json",
        read="/v1/apps/5ab1128fdccb8b0001111963/alerts/{id}",
    ),
]
IDS = [t.vendor for t in TARGETS]


@pytest.fixture(scope="module")
def client() -> Any:
    """One app for the module (hostile requests change nothing), configured as tests/conftest.py's."""
    app = create_app(Config(validate_responses=True, clock="2026-06-10T07:08:13Z@x1", seed=1))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tsRequest><dataAlert subject="&lol9;"/></tsRequest>"""

XML_EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tsRequest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tsRequest><dataAlert subject="&xxe;"/></tsRequest>"""

# Well-formed bodies nested far deeper than any service's (inside Scalingo's free-form metadata,
# under a Tableau alert): they used to pass parsing and fail later, when the answer was written.
DEEP_JSON = (
    b'{"type": "ALERTS", "alert": {"container_type": "web", "metric": "cpu", "limit": 0.5, "metadata": '
    + b'{"a": ' * 300
    + b"1"
    + b"}" * 300
    + b"}}"
)


def _deep_xml(levels: int) -> bytes:
    return b'<tsRequest><dataAlert subject="x">' + b"<a>" * levels + b"</a>" * levels + b"</dataAlert></tsRequest>"


# (case name, Content-Type, body): each is sent to every vendor's write operation.
HOSTILE_BODIES: list[tuple[str, str, bytes]] = [
    ("json-invalid-utf8", "application/json", b'{"type": "\xff\xfe\xfd", "alert": {"metric": "\xc3\x28"}}'),
    ("json-malformed", "application/json", b'{"alert": {"limit": '),
    ("json-trailing-garbage", "application/json", b'{"type": "ALL"} {"type": "ALL"}'),
    ("json-nan", "application/json", b'{"alert": {"container_type": "web", "metric": "cpu", "limit": NaN}}'),
    ("json-lone-surrogate", "application/json", b'{"type": "\\ud800", "alert": {"metric": "\\udfff"}}'),
    ("json-deep-nesting", "application/json", b"[" * 100_000),
    ("json-deep-but-well-formed", "application/json", DEEP_JSON),
    ("json-array-not-object", "application/json", b"[1, 2, 3]"),
    ("json-null", "application/json", b"null"),
    ("json-unknown-charset", "application/json; charset=klingon", b'{"type": "\xe2\x98\x83"}'),
    ("xml-malformed", "application/xml", b"<tsRequest><dataAlert subject='x'"),
    ("xml-invalid-utf8", "application/xml", b'<tsRequest><dataAlert subject="\xff\xfe"/></tsRequest>'),
    ("xml-bomb", "application/xml", XML_BOMB),
    ("xml-deep-300", "application/xml", _deep_xml(300)),
    ("xml-deep-1500", "application/xml", _deep_xml(1500)),
    ("xml-external-entity", "application/xml", XML_EXTERNAL_ENTITY),
    ("xml-wrong-root", "text/xml", b"<html><body>hello</body></html>"),
    ("text-plain", "text/plain", b"hello"),
    ("form", "application/x-www-form-urlencoded", b"type=ALL&alert=1"),
    ("multipart-garbage", "multipart/form-data; boundary=xyz", b"--xyz\r\nnot a part\r\n"),
    ("content-type-garbage", "!!!/???; ;;", b'{"type": "ALL"}'),
    ("octet-stream", "application/octet-stream", bytes(range(256))),
]

HOSTILE_IDS = [
    "☃💥",
    "%FF%FE",
    "%00",
    "a" * 5000,
    "..%2F..%2Fetc%2Fpasswd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]


def _assert_vendor_error(target: Target, answer: Any, case: str) -> None:
    assert 400 <= answer.status_code < 500, f"{target.vendor} {case}: {answer.status_code} {answer.text[:300]}"
    media_type = answer.headers.get("content-type", "").split(";")[0].strip()
    assert media_type in target.error_media_types, f"{target.vendor} {case}: error as {media_type!r}"
    if media_type.endswith("json"):
        assert isinstance(json.loads(answer.content), dict), f"{target.vendor} {case}: {answer.text[:200]}"
    else:
        root = ElementTree.fromstring(answer.content)
        assert any(element.tag.endswith("error") for element in root.iter()), answer.text[:300]


def test_the_valid_requests_are_accepted(client: TestClient) -> None:
    """The baseline: without the hostile part, each target request succeeds (so the 4xx below are earned)."""
    for target in TARGETS:
        method, path = target.write
        headers = {**target.headers, "Content-Type": target.media_type}
        answer = client.request(method, path, content=target.body, headers=headers)
        assert answer.status_code in (200, 201), f"{target.vendor}: {answer.status_code} {answer.text[:300]}"


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
@pytest.mark.parametrize(("case", "content_type", "body"), HOSTILE_BODIES, ids=[c[0] for c in HOSTILE_BODIES])
def test_hostile_bodies_get_a_vendor_4xx(
    client: TestClient, target: Target, case: str, content_type: str, body: bytes
) -> None:
    method, path = target.write
    answer = client.request(method, path, content=body, headers={**target.headers, "Content-Type": content_type})
    _assert_vendor_error(target, answer, case)


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_a_10_mb_body_is_refused_with_413(client: TestClient, target: Target) -> None:
    method, path = target.write
    body = b'{"type": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = client.request(method, path, content=body, headers={**target.headers, "Content-Type": target.media_type})
    assert answer.status_code == 413
    _assert_vendor_error(target, answer, "10 MB body")


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_a_huge_query_string_is_not_a_server_error(client: TestClient, target: Target) -> None:
    # ~60 KB: far past what real servers take (8 KB is common), just under httpx's own URL limit.
    query = "&".join(f"p{i}={'x' * 100}" for i in range(560))
    answer = client.get(target.read.format(id="unknown-id") + "?" + query, headers=target.headers)
    _assert_vendor_error(target, answer, "huge query string")


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
@pytest.mark.parametrize("hostile_id", HOSTILE_IDS, ids=range(len(HOSTILE_IDS)))
def test_hostile_path_parameters_get_a_vendor_4xx(client: TestClient, target: Target, hostile_id: str) -> None:
    answer = client.get(target.read.format(id=hostile_id), headers=target.headers)
    _assert_vendor_error(target, answer, f"path parameter {hostile_id[:20]!r}")


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_an_unsatisfiable_accept_header_gets_a_vendor_4xx(client: TestClient, target: Target) -> None:
    method, path = target.write
    headers = {**target.headers, "Content-Type": target.media_type, "Accept": "image/png"}
    answer = client.request(method, path, content=target.body, headers=headers)
    assert answer.status_code == 406, answer.text[:300]


def test_ordinary_nesting_is_still_accepted(client: TestClient) -> None:
    # The nesting limit is far above what the services' own bodies use: 20 levels of metadata pass.
    metadata = b'{"a": ' * 20 + b'"deep"' + b"}" * 20
    body = b'{"alert": {"container_type": "web", "metric": "cpu", "limit": 0.5, "metadata": ' + metadata + b"}}"
    headers = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4=", "Content-Type": "application/json"}
    answer = client.post("/v1/apps/5ab1128fdccb8b0001111963/alerts", content=body, headers=headers)
    assert answer.status_code == 201, answer.text[:300]
    assert json.dumps(answer.json()["alert"]["metadata"]).count('"a"') == 20
