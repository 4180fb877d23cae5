"""Bad input gets the vendor's 4xx, never a 500: each case through the real middleware stack."""

from __future__ import annotations

from .conftest import KEY


def test_missing_credentials_are_refused_by_the_vendor_renderer(widgets) -> None:
    response = widgets.get("/w/items")
    assert response.status_code == 401
    assert response.json() == {"widget_error": "No authorization token provided", "status": 401}


def test_unknown_credentials_are_refused(widgets) -> None:
    assert widgets.get("/w/items", headers={"X-Key": "made-up"}).status_code == 401


def test_query_parameter_errors_name_the_parameter(widgets) -> None:
    body = widgets.get("/w/items/w1?verbose=x", headers=KEY).json()
    assert body["location"] == "query"
    assert list(body["fields"]) == ["verbose"]


def test_body_errors_name_the_missing_field(widgets) -> None:
    response = widgets.post("/w/items", json={"item": {}}, headers=KEY)
    assert response.status_code == 400
    assert response.json()["fields"] == {"item.name": ["is required"]}


def test_wrong_type_names_the_field(widgets) -> None:
    response = widgets.post("/w/items", json={"item": {"name": "x", "size": "big"}}, headers=KEY)
    assert response.json()["fields"] == {"item.size": ["'big' is not of type 'integer'"]}


def test_malformed_json_is_400(widgets) -> None:
    response = widgets.post("/w/items", content=b"{bad", headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["widget_error"].startswith("Malformed JSON")


def test_invalid_utf8_is_400_not_500(widgets) -> None:
    response = widgets.post(
        "/w/items", content=b'{"item": "\xff"}', headers={**KEY, "Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_json_in_a_declared_charset_reaches_the_handler_as_its_text(widgets) -> None:
    # Validated by its declared charset, the body used to reach the handler as nothing: a 500.
    body = '{"item": {"name": "Café"}}'.encode("latin-1")
    for content_type in ("application/json;charset=latin-1", 'application/json; charset="ISO-8859-1"'):
        response = widgets.post("/w/items", content=body, headers={**KEY, "Content-Type": content_type})
        assert response.status_code == 201, response.text
        assert response.json()["name"] == "Café"


def test_json_in_an_unknown_charset_is_400_not_500(widgets) -> None:
    headers = {**KEY, "Content-Type": "application/json;charset=no-such-charset"}
    assert widgets.post("/w/items", content=b'{"item": {"name": "x"}}', headers=headers).status_code == 400


def test_xml_body_reaches_the_handler_as_data(widgets) -> None:
    xml = b'<request><item name="y" size="3"/></request>'
    response = widgets.post("/w/items", content=xml, headers={**KEY, "Content-Type": "application/xml"})
    assert response.status_code == 201
    assert response.json()["size"] == 3


def test_curl_default_form_label_on_an_xml_body_is_read_as_xml(widgets) -> None:
    # curl -d @file sends application/x-www-form-urlencoded; the Tableau docs' examples rely on it.
    xml = b'<request><item name="curl"/></request>'
    headers = {**KEY, "Content-Type": "application/x-www-form-urlencoded"}
    response = widgets.post("/w/items", content=xml, headers=headers)
    assert response.status_code == 201
    assert response.json()["name"] == "curl"


def test_xml_with_a_dtd_is_refused(widgets) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><request>&b;</request>'
    response = widgets.post("/w/items", content=bomb, headers={**KEY, "Content-Type": "application/xml"})
    assert response.status_code == 400
    assert "DTD" in response.json()["widget_error"]


def test_malformed_xml_is_400(widgets) -> None:
    response = widgets.post("/w/items", content=b"<request><item>", headers={**KEY, "Content-Type": "application/xml"})
    assert response.status_code == 400


def test_declared_oversized_body_is_413_before_reading(widgets_factory) -> None:
    small = widgets_factory(max_body_bytes=100)
    response = small.post("/w/items", content=b"x" * 101, headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_streamed_oversized_body_is_413(widgets_factory) -> None:
    small = widgets_factory(max_body_bytes=100)

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"item": {"name": "'
        yield b"x" * 200
        yield b'"}}'

    response = small.post("/w/items", content=chunks(), headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_unsupported_content_type_is_415(widgets) -> None:
    response = widgets.post("/w/items", content=b"name=x", headers={**KEY, "Content-Type": "text/plain"})
    assert response.status_code == 415


def test_405_lists_every_method_of_the_path(widgets) -> None:
    response = widgets.patch("/w/items/w1", headers=KEY)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, DELETE"


def test_unknown_route_is_404_in_the_vendor_format(widgets) -> None:
    response = widgets.get("/w/nothing-here", headers=KEY)
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_a_path_no_vendor_claims_gets_a_problem_details_404(widgets) -> None:
    response = widgets.get("/elsewhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found" and response.json()["status"] == 404


def test_json_that_python_would_accept_but_is_not_json_is_400(widgets) -> None:
    for body in (b'{"item": {"name": NaN}}', b'{"item": {"name": "\\ud800"}}', b'{"item": {"size": 1e999}}'):
        response = widgets.post("/w/items", content=body, headers={**KEY, "Content-Type": "application/json"})
        assert response.status_code == 400, body


def test_the_vendor_is_found_through_the_matched_operation_without_test_client_extensions() -> None:
    # /legacy/ is outside the vendor's path-pattern: only the matched operation's tag names it. And
    # uvicorn's and httpx's scopes carry no "extensions", where Connexion records that operation.
    import asyncio

    import httpx

    from alertmock import Config, create_app

    from .conftest import APP_DIR

    app = create_app(Config(spec=APP_DIR / "openapi.yaml", fixtures=APP_DIR / "fixtures"))

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.get("/legacy/items/w1?verbose=x", headers=KEY)

    response = asyncio.run(call())
    assert response.status_code == 400
    assert response.json()["fields"] == {"verbose": ["'x' is not of type 'integer'"]}
