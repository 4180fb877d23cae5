"""A stand-in for the vendors' staging servers, for the recording tests: not the mock. Its own data
(other apps, alerts, ...), its own credentials, answers in each vendor's wire form, and one
resource whose answer breaks the contract (an alert without its required `metric`)."""

from __future__ import annotations

import base64
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SCALINGO_TOKEN = "staging-scalingo-api-token-5f2c"
SCALINGO_AUTH = {"Authorization": "Basic " + base64.b64encode(f":{SCALINGO_TOKEN}".encode()).decode()}

# Scalingo: two apps of the staging team's (one named in paths by name, one by id) and a broken one.
SCALINGO_APPS = {
    "64f0a1b2c3d4e5f6a7b8c9d0": "shop-staging",
    "64f0a1b2c3d4e5f6a7b8c9d1": "billing-staging",
    "64f0a1b2c3d4e5f6a7b8c9d2": "broken-staging",
}
SCALINGO_ALERTS: dict[str, list[dict[str, Any]]] = {
    "64f0a1b2c3d4e5f6a7b8c9d0": [
        {
            "id": "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000001",
            "app_id": "64f0a1b2c3d4e5f6a7b8c9d0",
            "created_at": "2026-03-02T10:00:00.123Z",
            "updated_at": "2026-03-04T08:30:00Z",
            "container_type": "web",
            "disabled": False,
            "metric": "rpm_per_container",
            "limit": 1500,
            "send_when_below": False,
            "duration_before_trigger": "5m0s",
            "metadata": {"recipient": "team"},
            "notifiers": ["no-aa11bb22-0000-4000-8000-000000000001"],
        },
        {
            "id": "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000002",
            "app_id": "64f0a1b2c3d4e5f6a7b8c9d0",
            "created_at": "2026-03-05T12:00:00Z",
            "updated_at": "2026-03-05T12:00:00Z",
            "container_type": "worker",
            "disabled": True,
            "metric": "memory",
            "limit": 0.75,
            "send_when_below": True,
            "remind_every": "1h0m0s",
            "metadata": {"recipient": "user"},
        },
    ],
    "64f0a1b2c3d4e5f6a7b8c9d1": [
        {
            "id": "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000003",
            "app_id": "64f0a1b2c3d4e5f6a7b8c9d1",
            "created_at": "2026-02-01T00:00:00Z",
            "updated_at": "2026-02-01T00:00:00Z",
            "container_type": "web",
            "disabled": False,
            "metric": "cpu",
            "limit": 0.9,
            "send_when_below": False,
            "metadata": {"recipient": "user"},
        }
    ],
    # Breaks the contract: `metric` is required.
    "64f0a1b2c3d4e5f6a7b8c9d2": [
        {
            "id": "al-0b9f2e64-1111-4c1e-9a53-5d1f0a000004",
            "app_id": "64f0a1b2c3d4e5f6a7b8c9d2",
            "created_at": "2026-02-01T00:00:00Z",
            "updated_at": "2026-02-01T00:00:00Z",
            "container_type": "web",
            "disabled": False,
            "limit": 0.5,
            "send_when_below": False,
        }
    ],
}
# What a client walks: apps by name or id, as real clients name them.
SCALINGO_PATHS = ["shop-staging", "64f0a1b2c3d4e5f6a7b8c9d1"]
SCALINGO_BROKEN = "broken-staging"


def _scalingo_app(request: Request) -> str | None:
    if request.headers.get("authorization") != SCALINGO_AUTH["Authorization"]:
        return None
    given = request.path_params["app"]
    return next((app_id for app_id, name in SCALINGO_APPS.items() if given in (app_id, name)), None)


def _listed(alert: dict[str, Any]) -> dict[str, Any]:
    listed = {key: value for key, value in alert.items() if key not in ("id", "app_id", "created_at", "updated_at")}
    return {
        **{k: alert[k] for k in ("id", "app_id", "created_at", "updated_at")},
        "deleted_at": "0001-01-01T00:00:00Z",
        **listed,
    }


async def scalingo_alerts(request: Request) -> Response:
    app_id = _scalingo_app(request)
    if app_id is None:
        return JSONResponse({"error": "not found"}, 404)
    return JSONResponse({"alerts": [_listed(a) for a in SCALINGO_ALERTS[app_id]]})


async def scalingo_alert(request: Request) -> Response:
    app_id = _scalingo_app(request)
    found = next((a for a in SCALINGO_ALERTS.get(app_id or "", []) if a["id"] == request.path_params["alert_id"]), None)
    if found is None:
        return JSONResponse({"error": "not found"}, 404)
    return JSONResponse({"alert": found})


def staging_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/v1/apps/{app}/alerts", scalingo_alerts),
            Route("/v1/apps/{app}/alerts/{alert_id}", scalingo_alert),
        ]
    )
