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


# Matatika: the staging team's profile, workspace, pipeline and channel, HAL as Spring writes it.
MATATIKA_TOKEN = "staging-matatika-bearer-9d41"
MATATIKA_AUTH = {"Authorization": f"Bearer {MATATIKA_TOKEN}"}
MATATIKA_PROFILE = {"id": "auth0|64f0aa0000000000000000aa", "name": "qa@staging.example", "handle": "@qa-staging"}
MATATIKA_WORKSPACE = {"id": "0c8e6a52-2f4b-4a8e-9d7c-5b1a2c3d4e01", "name": "Staging Analytics"}
MATATIKA_PIPELINE = {
    "id": "0c8e6a52-2f4b-4a8e-9d7c-5b1a2c3d4e02",
    "name": "Stripe to Snowflake",
    "lastModified": "2026-03-01T09:15:00.5",
}
MATATIKA_CHANNEL = {
    "id": "0c8e6a52-2f4b-4a8e-9d7c-5b1a2c3d4e03",
    "name": "data-team",
    "description": "Staging data team",
    "picture": "https://cdn.example/dt.png",
}
_SUBSCRIPTION_TIMES = {"created": "2026-03-02T10:00:00.25", "lastModified": "2026-03-02T10:00:00.25"}
# (id, subscriber kind, target kind, target): in the order staging lists them.
MATATIKA_SUBSCRIPTIONS = [
    ("5e0b7d1c-0000-4000-8000-00000000a001", "profile", "pipeline", MATATIKA_PIPELINE),
    ("5e0b7d1c-0000-4000-8000-00000000a002", "profile", "channel", MATATIKA_CHANNEL),
    ("5e0b7d1c-0000-4000-8000-00000000a003", "profile", "workspace", MATATIKA_WORKSPACE),
    ("5e0b7d1c-0000-4000-8000-00000000a004", "workspace", "workspace", MATATIKA_WORKSPACE),
]
MATATIKA_JOBS = [
    {
        "id": "7a1c0f00-0000-4000-8000-00000000b002",
        "created": "2026-03-03T06:00:00.1",
        "type": "PIPELINE_RUN",
        "exitCode": 1,
        "status": "ERROR",
        "startTime": "2026-03-03T06:00:02.2",
        "endTime": "2026-03-03T06:04:00.9",
    },
    {
        "id": "7a1c0f00-0000-4000-8000-00000000b001",
        "created": "2026-03-02T06:00:00.1",
        "type": "PIPELINE_RUN",
        "exitCode": 0,
        "status": "COMPLETE",
        "startTime": "2026-03-02T06:00:01.5",
        "endTime": "2026-03-02T06:03:10.75",
    },
]
_COLLECTIONS = {"workspace": "workspaces", "channel": "channels", "pipeline": "pipelines"}


def _matatika_subscription(request: Request, entry: tuple[str, str, str, dict[str, Any]]) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    sid, subscriber_kind, target_kind, target = entry
    href = f"{base}/api/subscriptions/{sid}"
    shown = {k: v for k, v in target.items() if k != "id"} if target_kind == "channel" else dict(target)
    if subscriber_kind == "workspace":
        embedded = {"subscriberWorkspace": dict(MATATIKA_WORKSPACE), target_kind: shown}
        links = {"self": {"href": href}, "update subscription": {"href": href, "type": "PUT"}}
        links["delete subscription"] = {"href": href, "type": "DELETE"}
    else:
        first = [(target_kind, shown)] if target_kind == "channel" else []
        rest = [] if target_kind == "channel" else [(target_kind, shown)]
        embedded = dict([*first, ("subscriberProfile", dict(MATATIKA_PROFILE)), *rest])
        links = {"self": {"href": href}, "delete subscription": {"href": href, "type": "DELETE"}}
        links["update subscription"] = {"href": href, "type": "PUT"}
    links[target_kind] = {"href": f"{base}/api/{_COLLECTIONS[target_kind]}/{target['id']}"}
    return {"id": sid, **_SUBSCRIPTION_TIMES, "type": "ALL", "_embedded": embedded, "_links": links}


def _matatika_job(request: Request, job: dict[str, Any]) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    href = f"{base}/api/jobs/{job['id']}"
    links = {
        "self": {"href": href},
        "pipeline": {"href": f"{base}/api/pipelines/{MATATIKA_PIPELINE['id']}"},
        "workspace": {"href": f"{base}/api/workspaces/{MATATIKA_WORKSPACE['id']}"},
        "logs": {"href": f"{href}/logs?sequence=0"},
        "delete job": {"href": href, "type": "DELETE"},
    }
    return {**job, "_links": links}


def _hal_page(request: Request, name: str, items: list[dict[str, Any]]) -> Response:
    self_href = f"{str(request.base_url).rstrip('/')}{request.url.path}?page=0&size=20"
    body: dict[str, Any] = {"_embedded": {name: items}} if items else {}
    body["_links"] = {"self": {"href": self_href}}
    body["page"] = {"size": 20, "totalElements": len(items), "totalPages": 1 if items else 0, "number": 0}
    return JSONResponse(body, media_type="application/hal+json")


def _matatika_denied(request: Request) -> Response | None:
    if request.headers.get("authorization") != MATATIKA_AUTH["Authorization"]:
        return JSONResponse({"error": "Unauthorized"}, 401)
    return None


async def matatika_subscriptions(request: Request) -> Response:
    mine = [e for e in MATATIKA_SUBSCRIPTIONS if e[1] == "profile"]
    return _matatika_denied(request) or _hal_page(
        request, "subscriptions", [_matatika_subscription(request, e) for e in mine]
    )


async def matatika_member_subscriptions(request: Request) -> Response:
    theirs = [e for e in MATATIKA_SUBSCRIPTIONS if e[1] == "workspace"]
    return _matatika_denied(request) or _hal_page(
        request, "subscriptions", [_matatika_subscription(request, e) for e in theirs]
    )


async def matatika_subscription(request: Request) -> Response:
    entry = next(e for e in MATATIKA_SUBSCRIPTIONS if e[0] == request.path_params["sid"])
    return _matatika_denied(request) or JSONResponse(
        _matatika_subscription(request, entry), media_type="application/hal+json"
    )


async def matatika_jobs(request: Request) -> Response:
    return _matatika_denied(request) or _hal_page(request, "jobs", [_matatika_job(request, j) for j in MATATIKA_JOBS])


async def matatika_job(request: Request) -> Response:
    job = next(j for j in MATATIKA_JOBS if j["id"] == request.path_params["jid"])
    return _matatika_denied(request) or JSONResponse(_matatika_job(request, job), media_type="application/hal+json")


# Tableau: another site, its own users and views, answered in XML as Tableau Server writes it.
TABLEAU_TOKEN = "staging-tableau-session-77aa01"
TABLEAU_AUTH = {"X-Tableau-Auth": TABLEAU_TOKEN, "Accept": "application/xml"}
TABLEAU_SITE = "3f1d2c4b-aaaa-4bbb-8ccc-0123456789ab"
_TABLEAU_ALERTS = [
    {
        "id": "b7c6d5e4-0000-4000-8000-0000000c0001",
        "subject": "Revenue below target",
        "creatorId": "c0ffee00-0000-4000-8000-0000000d0001",
        "createdAt": "2026-01-10T08:00:00Z",
        "updatedAt": "2026-02-11T09:30:00Z",
        "frequency": "hourly",
        "public": "false",
        "owner": ("c0ffee00-0000-4000-8000-0000000d0001", "finance.lead"),
        "view": (
            "e1e1e1e1-0000-4000-8000-0000000e0001",
            "Revenue",
            ("w0000001-aaaa", "Finance"),
            ("p0000001-bbbb", "Sales"),
        ),
        "recipients": ["c0ffee00-0000-4000-8000-0000000d0002", "c0ffee00-0000-4000-8000-0000000d0003"],
    },
    {
        "id": "b7c6d5e4-0000-4000-8000-0000000c0002",
        "subject": "Late shipments",
        "creatorId": "c0ffee00-0000-4000-8000-0000000d0002",
        "createdAt": "2026-01-12T08:00:00Z",
        "updatedAt": "2026-01-12T08:00:00Z",
        "frequency": "daily",
        "public": "true",
        "owner": ("c0ffee00-0000-4000-8000-0000000d0002", "ops.analyst"),
        "view": (
            "e1e1e1e1-0000-4000-8000-0000000e0002",
            "Shipping",
            ("w0000002-aaaa", "Ops"),
            ("p0000002-bbbb", "Ops"),
        ),
        "recipients": [],
    },
]
TABLEAU_ALERT_IDS = [a["id"] for a in _TABLEAU_ALERTS]
_TS = '<?xml version="1.0" encoding="UTF-8"?><tsResponse xmlns="http://tableau.com/api">'


def _tableau_alert(alert: dict[str, Any], with_recipients: bool) -> str:
    attributes = " ".join(
        f'{name}="{alert[name]}"'
        for name in ("id", "subject", "creatorId", "createdAt", "updatedAt", "frequency", "public")
    )
    view_id, view_name, (workbook_id, workbook), (project_id, project) = alert["view"]
    text = (
        f'<dataAlert {attributes}><owner id="{alert["owner"][0]}" name="{alert["owner"][1]}" />'
        f'<view id="{view_id}" name="{view_name}"><workbook id="{workbook_id}" name="{workbook}" />'
        f'<project id="{project_id}" name="{project}" /></view>'
    )
    if with_recipients:
        recipients = "".join(f'<recipient id="{rid}" />' for rid in alert["recipients"])
        text += f"<recipients>{recipients}</recipients>" if recipients else "<recipients />"
    return text + "</dataAlert>"


def _tableau_denied(request: Request) -> Response | None:
    if request.headers.get("x-tableau-auth") != TABLEAU_TOKEN or request.path_params["site"] != TABLEAU_SITE:
        return Response(_TS + '<error code="401002"><summary>Unauthorized</summary></error></tsResponse>', 401)
    return None


async def tableau_alerts(request: Request) -> Response:
    alerts = "".join(_tableau_alert(a, False) for a in _TABLEAU_ALERTS)
    pagination = f'<pagination pageNumber="1" pageSize="100" totalAvailable="{len(_TABLEAU_ALERTS)}" />'
    body = f"{_TS}{pagination}<dataAlerts>{alerts}</dataAlerts></tsResponse>"
    return _tableau_denied(request) or Response(body, media_type="application/xml")


async def tableau_alert(request: Request) -> Response:
    alert = next(a for a in _TABLEAU_ALERTS if a["id"] == request.path_params["aid"])
    body = _TS + _tableau_alert(alert, True) + "</tsResponse>"
    return _tableau_denied(request) or Response(body, media_type="application/xml")


async def home(request: Request) -> Response:
    # The page a browser opens before it calls the APIs from the same origin (tests/tools/test_har.py).
    return Response("<!doctype html><title>staging</title><p>staging", media_type="text/html")


def staging_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", home),
            Route("/v1/apps/{app}/alerts", scalingo_alerts),
            Route("/v1/apps/{app}/alerts/{alert_id}", scalingo_alert),
            Route("/api/subscriptions", matatika_subscriptions),
            Route("/api/subscriptions/{sid}", matatika_subscription),
            Route("/api/workspaces/{wid}/members/subscriptions", matatika_member_subscriptions),
            Route("/api/workspaces/{wid}/jobs", matatika_jobs),
            Route("/api/pipelines/{pid}/jobs", matatika_jobs),
            Route("/api/jobs/{jid}", matatika_job),
            Route("/api/3.2/sites/{site}/dataAlerts", tableau_alerts),
            Route("/api/3.2/sites/{site}/dataAlerts/{aid}", tableau_alert),
        ]
    )
