from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.handlers.tableau._support import JSON, validate, xml_response


@pytest.mark.parametrize("path", ["/api/2.4/serverinfo", "/api/2.4/serverInfo", "/api/3.23/serverInfo"])
def test_server_info_needs_no_sign_in_and_answers_xml_by_default(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 200
    info = xml_response(response)["serverInfo"]
    assert info["restApiVersion"] == "3.23"
    assert info["productVersion"] == "2024.2.0"
    validate(xml_response(response), "ServerInfoResponse")


def test_server_info_in_json(client: TestClient) -> None:
    response = client.get("/api/2.4/serverinfo", headers=JSON)
    assert response.status_code == 200
    assert response.json() == {"serverInfo": {"productVersion": "2024.2.0", "restApiVersion": "3.23"}}
