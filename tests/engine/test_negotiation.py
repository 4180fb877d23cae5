from __future__ import annotations

import pytest

from alertmock.contract.negotiation import _negotiate

from .conftest import KEY


def test_no_accept_gets_the_first_documented_media_type(widgets) -> None:
    response = widgets.get("/w/items", headers=KEY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["items"]["item"][0] == {"id": "w1", "name": "first", "size": 1}


def test_xml_is_written_from_the_schema_xml_objects(widgets) -> None:
    response = widgets.get("/w/items", headers={**KEY, "Accept": "application/xml"})
    assert response.headers["content-type"] == "application/xml"
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><response xmlns="urn:widgets">')
    assert '<item id="w1" name="first" size="1" />' in response.text


def test_unservable_accept_is_406_in_the_vendor_format(widgets) -> None:
    response = widgets.get("/w/items", headers={**KEY, "Accept": "text/html"})
    assert response.status_code == 406
    assert "application/xml" in response.json()["widget_error"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/xml;q=0.9, application/json;q=0.1", "application/xml"),
        ("text/html, application/xml", "application/xml"),
        ("application/json;q=0", None),
        ("text/plain", None),
    ],
)
def test_quality_values_decide(accept: str, chosen: str | None) -> None:
    assert _negotiate(("application/json", "application/xml"), accept) == chosen
