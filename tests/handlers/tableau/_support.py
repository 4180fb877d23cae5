"""Shared test data and helpers for Tableau: the document's ids, sign-in, and XML read-back.

XML answers are read back with a small ElementTree reader of our own (not the engine's codec),
so that the tests check the wire form independently of the code that produced it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from httpx import Response
from starlette.testclient import TestClient

NS = "{http://tableau.com/api}"
DOC_TOKEN = "12ab34cd56ef78ab90cd12ef34ab56cd"
DOC_AUTH = {"X-Tableau-Auth": DOC_TOKEN}
JSON = {"Accept": "application/json"}
SITE = "13020592-762f-4de4-a25e-f4beb005836e"  # default site (contentUrl "")
SITE2 = "9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"  # contentUrl "marketing"
ALERT = "e5a4b73e-5cbb-412d-907e-f31cc31684f7"  # site 1, public, owner admin, recipient "recipient"
ALERT_C60 = "c60bbd4e-dd98-469f-bf71-83c42378f427"  # site 2, public, owner admin
ALERT_1A1 = "1a1b1c1d-2e2f-2a2b-3c3d-3e3f4a4b4c4d"  # site 2, private, owner alertowner
ALERT_PROFIT = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b04"  # site 2, private, owner alertowner, recipient "recipient"
ALERT_SALES = "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c05"  # site 2, private, owner siteadmin, no recipients
ADMIN = "8eda27d9-5ad2-42cd-a39a-61bc01a423af"
SITEADMIN = "5b0c1f9e-3a6d-4c2e-9f71-2d8e4a6b1c01"
OWNER = "6c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d02"
RECIPIENT = "ff43cb47-f208-4d2f-9a22-0fbb6d29f7f1"
VIEWER = "7d2e3f4a-5b6c-4d7e-9f80-1a2b3c4d5e03"
VIEW_SHIPPING = "defbf126-5e8b-4c12-9c55-6e772c91bf62"
VIEW_OVERVIEW = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c06"
BASE = "/api/3.12/sites"

# Elements that are lists in Tableau's JSON mapping: (plural wrapper, singular item).
_LIST_TAGS = {("dataAlerts", "dataAlert"), ("recipients", "recipient")}
_SPEC = Path(__file__).resolve().parents[3] / "spec" / "tableau.yaml"


def sign_in(client: TestClient, name: str, content_url: str = "marketing") -> dict[str, str]:
    """Sign in as a fixture user (password = name) and return the auth header."""
    body = {"credentials": {"name": name, "password": name, "site": {"contentUrl": content_url}}}
    response = client.post("/api/3.12/auth/signin", json=body, headers=JSON)
    assert response.status_code == 200, response.text
    return {"X-Tableau-Auth": response.json()["credentials"]["token"]}


def read_xml(raw: bytes | str) -> dict[str, Any]:
    """The content of a ``tsResponse`` as data: attributes as strings, list elements as lists."""
    root = ET.fromstring(raw)
    return _element(root)


def _element(element: ET.Element) -> dict[str, Any]:
    data: dict[str, Any] = dict(element.attrib)
    for child in element:
        tag = child.tag.removeprefix(NS)
        value: Any = _element(child) if (child.attrib or len(child)) else (child.text or "")
        if (element.tag.removeprefix(NS), tag) in _LIST_TAGS:
            data.setdefault(tag, []).append(value)
        else:
            data[tag] = value
    return data


def xml_response(response: Response, media_type: str = "application/xml") -> dict[str, Any]:
    """An XML answer in Tableau's namespace, read back as data."""
    assert response.headers["content-type"].startswith(media_type), response.text
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}tsResponse", root.tag
    return _element(root)


def error_of(response: Response) -> tuple[int, str]:
    """(status, Tableau error code) of an XML or JSON error answer."""
    if response.headers["content-type"].startswith("application/json"):
        return response.status_code, response.json()["error"]["code"]
    return response.status_code, xml_response(response)["error"]["code"]


@cache
def _spec() -> dict[str, Any]:
    return yaml.safe_load(_SPEC.read_text(encoding="utf-8"))


def validate(data: Any, schema_name: str) -> None:
    """Validate wire data (the JSON mapping) against a component schema of spec/tableau.yaml."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": _spec()["components"]}
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(data)


def as_json_mapping(data: Any) -> Any:
    """XML read-back to the JSON mapping's types: `public` becomes a boolean."""
    if isinstance(data, dict):
        return {k: (v == "true" if k == "public" else as_json_mapping(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [as_json_mapping(v) for v in data]
    return data
