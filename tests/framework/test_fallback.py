"""The stock path really runs: with the speed path unimportable, `serve` and `proxy` still answer.

A `sitecustomize` module on the server process's path makes every ``alertmock.framework.speed``
import fail, as a Connexion, Starlette or uvicorn release that renamed one of its internals would;
the servers are the real console commands on real sockets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from alertmock.framework import select_engine
from tests.servers import live_server

SITECUSTOMIZE = """
import importlib.abc
import sys


class _NoSpeedPath(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "alertmock.framework.speed" or name.startswith("alertmock.framework.speed."):
            raise ImportError(f"{name} made unimportable by the test")
        return None


sys.meta_path.insert(0, _NoSpeedPath())
"""

MATATIKA = {"Authorization": "Bearer matatika-demo-token"}
SCALINGO = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
TABLEAU = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
TABLEAU_LIST = "/api/3.12/sites/13020592-762f-4de4-a25e-f4beb005836e/dataAlerts"
STOCK_LINE = "serving on the stock Connexion path"


@pytest.fixture
def without_speed_path(tmp_path: Path) -> Iterator[dict[str, str]]:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    here = str(Path(__file__).resolve().parents[2])
    yield {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), here])}


def _answers_the_documents(url: str) -> None:
    with httpx.Client(base_url=url, timeout=10) as client:
        assert client.get("/api/subscriptions", headers=MATATIKA).status_code == 200
        created = client.post(
            "/v1/apps/example-app/alerts",
            headers=SCALINGO,
            json={"alert": {"container_type": "web", "metric": "cpu", "limit": 0.75}},
        )
        assert created.status_code == 201, created.text
        listed = client.get(TABLEAU_LIST, headers=TABLEAU)
        assert listed.status_code == 200
        assert listed.headers["content-type"].startswith("application/xml")
        assert "<tsResponse" in listed.text
        assert client.get("/__mock/health").json()["engine"] == "stock"


def test_serve_falls_back_to_the_stock_path_when_the_speed_path_cannot_import(
    without_speed_path: dict[str, str],
) -> None:
    with live_server("--quiet", env=without_speed_path) as server:
        _answers_the_documents(server.url)
    notices = [line for line in server.printed.splitlines() if STOCK_LINE in line]
    assert len(notices) == 1, server.printed
    assert "ImportError" in notices[0]


def test_engine_stock_chooses_the_stock_path_on_purpose() -> None:
    with live_server("--quiet", "--engine", "stock") as server:
        _answers_the_documents(server.url)
    assert f"{STOCK_LINE} (--engine stock)" in server.printed


def test_the_proxy_falls_back_too(without_speed_path: dict[str, str]) -> None:
    with (
        live_server("--quiet") as upstream,
        live_server("--quiet", "--upstream", upstream.url, command="proxy", env=without_speed_path) as proxy,
        httpx.Client(base_url=proxy.url, timeout=10) as client,
    ):
        answer = client.get("/api/subscriptions", headers=MATATIKA)
        assert answer.status_code == 200
        assert "alertmock-violations" not in answer.headers
        undocumented = client.get("/api/nothing-here", headers=MATATIKA)
        assert undocumented.headers.get("alertmock-violations") == "1"
        assert client.get("/__mock/health").json()["engine"] == "stock"
    assert STOCK_LINE in proxy.printed


def test_asking_for_the_speed_path_by_name_fails_instead_of_falling_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "alertmock.framework.speed.engine", None)  # `import` raises ImportError
    with pytest.raises(ImportError):
        select_engine("speed")
    fallback = select_engine("auto")
    assert fallback.name == "stock"
    assert fallback.notice is not None and STOCK_LINE in fallback.notice
