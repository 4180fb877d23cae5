"""The engine's own fast paths answer exactly what the straightforward code they replaced answered.

The plan-based XML writer of `alertmock.contract.xml` and the per-request `base_url` cache are pure speed:
every byte must stay the same. Each test compares the fast path with a reference: an ElementTree
writer, a `base_url` built from Starlette's `Request` every call. (The shims over Connexion are
held to stock Connexion by tests/framework/test_differential.py.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from alertmock.app import context
from alertmock.contract import xml
from alertmock.contract.document import Contract
from alertmock.contract.schemas import effective

ROOT = Path(__file__).resolve().parents[3]
ENGINE_APP = ROOT / "tests" / "engine" / "app"


# --- XML writer -----------------------------------------------------------------------------------


def _reference_dumps(data: Any, schema: Mapping[str, Any], root: str | None = None) -> bytes:
    """The writer alertmock.contract.xml had first: an ElementTree built and serialised node by node."""
    info = schema.get("xml", {})
    element = ElementTree.Element(root or info.get("name", "root"))
    if info.get("namespace"):
        element.set("xmlns", info["namespace"])
    _fill(element, data, schema)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ElementTree.tostring(element, encoding="utf-8")


def _fill(element: ElementTree.Element, data: Any, schema: Mapping[str, Any]) -> None:
    if isinstance(data, Mapping):
        properties = schema.get("properties", {})
        for key, value in data.items():
            if value is None:
                continue
            prop = effective(properties.get(key, {}))
            info = prop.get("xml", {})
            name = info.get("name", key)
            if info.get("attribute"):
                element.set(name, _reference_text(value))
            elif isinstance(value, list):
                items = effective(prop.get("items", {}))
                parent = ElementTree.SubElement(element, name) if info.get("wrapped") else element
                for item in value:
                    _fill(ElementTree.SubElement(parent, items.get("xml", {}).get("name", name)), item, items)
            else:
                _fill(ElementTree.SubElement(element, name), value, prop)
    elif data is not None:
        element.text = _reference_text(data)


def _reference_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # Characters XML 1.0 cannot carry become U+FFFD, as in alertmock.contract.xml.
    return "".join(
        "\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff" else c
        for c in str(value)
    )


def _xml_cases(contract: Contract) -> list[tuple[str, Any, Any]]:
    cases = []
    for operation in contract.operations.values():
        for response in operation.responses.values():
            for media_type, content in response.content.items():
                if "xml" not in media_type:
                    continue
                schema = content.get("schema", {})
                for name, value in response.examples(media_type).items():
                    data = xml.loads(value.encode(), schema) if isinstance(value, str) else value
                    cases.append((f"{operation.operation_id} {name}", data, schema))
    return cases


def test_xml_writer_writes_the_reference_bytes_for_every_xml_example_of_the_contract() -> None:
    cases = _xml_cases(Contract(ROOT / "openapi.yaml")) + _xml_cases(Contract(ENGINE_APP / "openapi.yaml"))
    assert len(cases) > 20, "the contract's XML examples are the test data"
    for name, data, schema in cases:
        assert xml.dumps(data, schema) == _reference_dumps(data, schema), name


ITEMS_SCHEMA: dict[str, Any] = {
    "xml": {"name": "response", "namespace": "urn:x"},
    "properties": {
        "items": {
            "type": "object",
            "properties": {
                "item": {
                    "type": "array",
                    "items": {
                        "xml": {"name": "item"},
                        "properties": {"id": {"xml": {"attribute": True}}, "on": {"xml": {"attribute": True}}},
                    },
                }
            },
        },
        "tags": {"type": "array", "xml": {"wrapped": True}, "items": {"xml": {"name": "tag"}}},
        "parts": {"allOf": [{"properties": {"n": {"xml": {"attribute": True}}}}, {"xml": {"name": "part"}}]},
    },
}


@pytest.mark.parametrize(
    "data",
    [
        {"items": {"item": [{"id": "a", "on": True}, {"id": 'q"<&>\n\t', "on": False, "extra": {"x": 1}}]}},
        {"items": {"item": []}, "tags": [], "parts": {"n": 2}},
        {"tags": ["x", "y & z", ""], "unknown": [1, [2, 3], {"k": None}], "none": None},
        {"parts": {"n": 1.5, "child": {"deep": "é ☃ 💥"}}, "text": ""},
        {},
    ],
)
def test_xml_writer_matches_the_reference_on_edge_cases(data: dict[str, Any]) -> None:
    assert xml.dumps(data, ITEMS_SCHEMA) == _reference_dumps(data, ITEMS_SCHEMA)
    assert xml.dumps(data, ITEMS_SCHEMA, root="other") == _reference_dumps(data, ITEMS_SCHEMA, root="other")


def test_xml_writer_replaces_characters_xml_cannot_carry() -> None:
    written = xml.dumps({"tags": ["nul\x00", "bell\x07", "lone\ud800"]}, ITEMS_SCHEMA)
    tags = [t.text for t in ElementTree.fromstring(written).iter("{urn:x}tag")]
    assert tags == ["nul\ufffd", "bell\ufffd", "lone\ufffd"]


# --- base_url -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "server", "scheme"),
    [
        ([(b"host", b"127.0.0.1:4010")], ("127.0.0.1", 4010), "http"),
        ([(b"host", b"mock.example")], ("10.0.0.1", 80), "http"),
        ([], ("127.0.0.1", 4010), "http"),
        ([], ("127.0.0.1", 80), "http"),
        ([], ("127.0.0.1", 443), "https"),
        (
            [(b"host", b"a"), (b"x-forwarded-proto", b"https, http"), (b"x-forwarded-host", b"pub.example, b")],
            None,
            "http",
        ),
        ([(b"host", b"a:81"), (b"x-forwarded-port", b"8443"), (b"x-forwarded-proto", b"https")], None, "http"),
        ([(b"host", b"a"), (b"x-forwarded-port", b"443"), (b"x-forwarded-proto", b"https")], None, "http"),
        ([(b"host", b"[::1]"), (b"x-forwarded-port", b"9000")], None, "http"),
    ],
)
def test_cached_base_url_equals_the_reference(headers: list[tuple[bytes, bytes]], server: Any, scheme: str) -> None:
    scope = {"type": "http", "scheme": scheme, "server": server, "path": "/", "headers": headers, "query_string": b""}
    expected = _reference_base_url(Request(dict(scope)))
    assert context.base_url(Request(dict(scope))) == expected
    # Cached in the scope: the second call of the same request answers the same.
    request = Request(dict(scope))
    assert context.base_url(request) == context.base_url(request) == expected


def _reference_base_url(request: Request) -> str:
    """The first base_url: Starlette's Request and URL on every call."""
    headers = request.headers
    scheme = headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host", "")
    port = headers.get("x-forwarded-port", "").split(",")[0].strip()
    if not host:
        host = f"{request.url.hostname}:{request.url.port}" if request.url.port else str(request.url.hostname)
    if port and ":" not in host.rsplit("]", 1)[-1] and port != {"http": "80", "https": "443"}.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"
