"""Deliberately broken variants of the mock, to prove that the conformance suite has teeth.

Each variant wraps the faithful app in an ASGI middleware that breaks ONE operation in ONE way
(the way a real deployment drifts from its contract), leaving every other request untouched. The
variants work on the wire, not on handler internals, so they stay valid whatever the handlers do.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from alertmock.tools.verify import ExitCode

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SCALINGO_AUTH = "Basic " + base64.b64encode(b":tk-us-demo-token").decode()

# Three Scalingo alert operations: plain JSON, documented links from create to get/delete.
ALERT = r"^/v1/apps/[^/]+/alerts/[^/]+$"
ALERTS = r"^/v1/apps/[^/]+/alerts$"


@dataclass
class Rewritten:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


Rewrite = Callable[[Rewritten], Rewritten]


class BreakResponse:
    """Pass the request through, then rewrite the response of one operation."""

    def __init__(self, app: ASGIApp, method: str, path: str, rewrite: Rewrite) -> None:
        self.app, self.method, self.path, self.rewrite = app, method, re.compile(path), rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != self.method or not self.path.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        out = self.rewrite(Rewritten(start["status"], list(start.get("headers", [])), b"".join(chunks)))
        headers = [(k, v) for k, v in out.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(out.body)).encode()))
        await send({"type": "http.response.start", "status": out.status, "headers": headers})
        await send({"type": "http.response.body", "body": out.body})


class BreakRequest:
    """Answer (or alter) one operation's requests before the faithful app sees them."""

    def __init__(self, app: ASGIApp, method: str, path: str, handle: Callable[[Scope, bytes], Any]) -> None:
        self.app, self.method, self.path, self.handle = app, method, re.compile(path), handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != self.method or not self.path.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer = self.handle(scope, body)
        if isinstance(answer, Rewritten):
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(answer, replay, send)


# Where verify obtains its credentials (Tableau sign-in, Scalingo token exchange): left working, so
# that each whole-deployment breakage is judged by the run, not by a failed sign-in.
SIGN_IN = r"/auth/signin$|/v1/tokens/exchange$"
CREDENTIAL_HEADERS = (b"authorization", b"x-tableau-auth")


class KeepOnDelete:
    """A DELETE that answers 204 and deletes nothing: it is served as a GET of the same path (so
    credentials and existence are still checked), and a 200 becomes an empty 204."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app, self.path = app, re.compile(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "DELETE" or not self.path.match(scope["path"]):
            await self.app(scope, receive, send)
            return

        served = False

        async def rewrite(message: Message) -> None:
            nonlocal served
            if message["type"] == "http.response.start":
                served = message["status"] == 200
                message = {"type": "http.response.start", "status": 204, "headers": []} if served else message
            elif served:
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, rewrite)


class BreakEverything:
    """A whole deployment gone wrong: every request but the sign-in (``unless``) is handled by ``handle``."""

    def __init__(self, app: ASGIApp, handle: Callable[[Scope], Scope | Rewritten], unless: str = SIGN_IN) -> None:
        self.app, self.handle, self.unless = app, handle, re.compile(unless)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.unless.search(scope["path"]):
            await self.app(scope, receive, send)
            return
        answer = self.handle(scope)
        if isinstance(answer, Rewritten):
            await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
            return
        await self.app(answer, receive, send)


def _strip_credentials(scope: Scope) -> Scope:
    # A proxy that drops the credential: the service answers its own documented 401 to everything.
    return {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in CREDENTIAL_HEADERS]}


def _answer(status: int, body: bytes) -> Callable[[Scope], Rewritten]:
    return lambda scope: Rewritten(status, [(b"content-type", b"application/json")], body)


def _json(transform: Callable[[Any], Any]) -> Rewrite:
    def rewrite(response: Rewritten) -> Rewritten:
        if response.status >= 300 or not response.body:
            return response
        response.body = json.dumps(transform(json.loads(response.body))).encode()
        return response

    return rewrite


def _without_id(data: Any) -> Any:
    data["alert"].pop("id", None)
    return data


def _limit_as_text(data: Any) -> Any:
    data["alert"]["limit"] = str(data["alert"]["limit"])
    return data


def _status(new: int) -> Rewrite:
    def rewrite(response: Rewritten) -> Rewritten:
        if response.status == 201:
            response.status = new
        return response

    return rewrite


def _content_type(response: Rewritten) -> Rewritten:
    if response.status < 300:
        response.headers = [(k, v) for k, v in response.headers if k.lower() != b"content-type"]
        response.headers.append((b"content-type", b"text/html; charset=utf-8"))
    return response


def _auth_ignored(scope: Scope, body: bytes) -> Scope:
    # Anyone gets in: a request without credentials is served as the demo user.
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
    headers.append((b"authorization", SCALINGO_AUTH.encode()))
    return {**scope, "headers": headers}


def _undocumented_status(response: Rewritten) -> Rewritten:
    # 200 becomes 203 (Non-Authoritative Information), which the contract never mentions.
    if response.status == 200:
        response.status = 203
    return response


def _xml_without_namespace(response: Rewritten) -> Rewritten:
    if response.status == 200:
        response.body = response.body.replace(b' xmlns="http://tableau.com/api"', b"")
    return response


OTHER_SCALINGO_USER = "us-8e2f4c1a-7b3d-4a5e-9c6f-0d1e2f3a4b5c"  # tk-us-other-token's (fixtures/scalingo/)


def _others_alert_served(scope: Scope, body: bytes) -> Scope:
    # Object-level authorization forgotten: the other owner's bearer token reads the demo user's alert.
    for name, value in scope["headers"]:
        if name.lower() == b"authorization" and value.startswith(b"Bearer "):
            payload = value.split(b".")[1] if value.count(b".") == 2 else b""
            try:
                claims = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
            except ValueError:
                return scope
            if claims.get("sub") == OTHER_SCALINGO_USER:
                return _auth_ignored(scope, body)
    return scope


def _always_not_found(scope: Scope, body: bytes) -> Rewritten:
    # The documented 404, to every request: nothing wrong with any single answer, and nothing tested.
    error = b'{"resource": "alert", "error": "not found"}'
    return Rewritten(404, [(b"content-type", b"application/json")], error)


def _crash_on_unknown_metric(scope: Scope, body: bytes) -> Scope | Rewritten:
    # A server that only copes with the metrics its authors tried: any other string crashes it.
    # (Generated metrics are almost never these, so every run finds it, whatever the seed.)
    try:
        metric = json.loads(body).get("alert", {}).get("metric")
    except (ValueError, AttributeError):
        return scope
    if isinstance(metric, str) and metric not in ("cpu", "memory", "rpm_per_container"):
        return Rewritten(500, [(b"content-type", b"application/json")], b'{"error": "internal error"}')
    return scope


@dataclass(frozen=True)
class Variant:
    """One breakage: which operation it touches, how, and the check that must report it."""

    name: str
    operations: tuple[str, ...]  # Schemathesis' "METHOD /path" names: the broken one (and its partners)
    expected_check: str | None  # None: no check fails, the verdict does (coverage, credential)
    phases: tuple[str, ...]
    wrap: Callable[[ASGIApp], ASGIApp]
    api: str = "scalingo"
    expected_code: ExitCode = ExitCode.FAILED


def _xml_without_id(response: Rewritten) -> Rewritten:
    # <dataAlert id="..." ...>: the id attribute, required by the schema, goes missing.
    if response.status == 200:
        response.body = re.sub(rb'(<dataAlert\b[^>]*?) id="[^"]*"', rb"\1", response.body, count=1)
    return response


TABLEAU_DATA_ALERT = r"^/api/[^/]+/sites/[^/]+/dataAlerts/[^/]+$"
GET_DATA_ALERT = "GET /api/{api-version}/sites/{site-id}/dataAlerts/{data-alert-id}"
GET_ALERT = "GET /v1/apps/{app}/alerts/{alert_id}"
LIST_ALERTS = "GET /v1/apps/{app}/alerts"
LIST_DATA_ALERTS = "GET /api/{api-version}/sites/{site-id}/dataAlerts"
DELETE_DATA_ALERT = "DELETE /api/{api-version}/sites/{site-id}/dataAlerts/{data-alert-id}"
SUBSCRIPTIONS = "GET /api/subscriptions"
GET_SUBSCRIPTION = "GET /api/subscriptions/{subscription-id}"
SUBSCRIBE_WORKSPACE = "POST /api/workspaces/{workspace-id}/subscriptions"
DELETE_SUBSCRIPTION = "DELETE /api/subscriptions/{subscription-id}"
SUBSCRIPTION = r"^/api/subscriptions/[^/]+$"
CREATE_ALERT = "POST /v1/apps/{app}/alerts"
DELETE_ALERT = "DELETE /v1/apps/{app}/alerts/{alert_id}"

VARIANTS = [
    Variant(
        "wrong status code",
        (CREATE_ALERT,),
        "status_code_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "POST", ALERTS, _status(202)),
    ),
    Variant(
        "missing required field",
        (GET_ALERT,),
        "response_schema_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", ALERT, _json(_without_id)),
    ),
    Variant(
        "wrong type",
        (GET_ALERT,),
        "response_schema_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", ALERT, _json(_limit_as_text)),
    ),
    Variant(
        "wrong content type",
        (GET_ALERT,),
        "content_type_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", ALERT, _content_type),
    ),
    Variant(
        "ignored auth header",
        (GET_ALERT,),
        "ignored_auth",
        ("examples",),
        lambda app: BreakRequest(app, "GET", ALERT, _auth_ignored),
    ),
    Variant(
        "DELETE that does not delete",
        (CREATE_ALERT, GET_ALERT, DELETE_ALERT),
        "deleted_resource_is_gone",
        ("examples",),
        lambda app: KeepOnDelete(app, ALERT),
    ),
    Variant(
        "500 on some input",
        (CREATE_ALERT,),
        "not_a_server_error",
        ("coverage", "fuzzing"),
        lambda app: BreakRequest(app, "POST", ALERTS, _crash_on_unknown_metric),
    ),
    Variant(
        "missing required attribute in an XML answer",
        (GET_DATA_ALERT,),
        "response_schema_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", TABLEAU_DATA_ALERT, _xml_without_id),
        api="tableau",
    ),
    Variant(
        "credential stripped by a proxy (Matatika)",
        (SUBSCRIPTIONS, GET_SUBSCRIPTION),
        None,
        ("examples",),
        lambda app: BreakEverything(app, _strip_credentials),
        api="matatika",
        expected_code=ExitCode.CREDENTIAL_REFUSED,
    ),
    Variant(
        "credential stripped by a proxy (Tableau)",
        (LIST_DATA_ALERTS, GET_DATA_ALERT),
        None,
        ("examples",),
        lambda app: BreakEverything(app, _strip_credentials),
        api="tableau",
        expected_code=ExitCode.CREDENTIAL_REFUSED,
    ),
    Variant(
        "every answer 500",
        (LIST_ALERTS, GET_ALERT),
        "not_a_server_error",
        ("examples",),
        lambda app: BreakEverything(app, _answer(500, b'{"error": "internal error"}')),
    ),
    Variant(
        "every answer 200 {}",
        (SUBSCRIPTIONS, GET_SUBSCRIPTION),
        "response_schema_conformance",
        ("examples",),
        lambda app: BreakEverything(app, _answer(200, b"{}")),
        api="matatika",
    ),
    Variant(
        "an operation that only ever answers its documented 404",
        (GET_ALERT,),
        None,
        ("examples", "fuzzing"),
        lambda app: BreakRequest(app, "GET", ALERT, _always_not_found),
        expected_code=ExitCode.UNTESTED,
    ),
    Variant(
        "DELETE that does not delete (Matatika)",
        (SUBSCRIBE_WORKSPACE, GET_SUBSCRIPTION, DELETE_SUBSCRIPTION),
        "deleted_resource_is_gone",
        ("stateful",),  # the documents give no example of removing a subscription
        lambda app: KeepOnDelete(app, SUBSCRIPTION),
        api="matatika",
    ),
    Variant(
        "DELETE that does not delete (Tableau)",
        (LIST_DATA_ALERTS, GET_DATA_ALERT, DELETE_DATA_ALERT),
        "deleted_resource_is_gone",
        ("examples",),
        lambda app: KeepOnDelete(app, TABLEAU_DATA_ALERT),
        api="tableau",
    ),
    Variant(
        "undocumented status on a Tableau GET",
        (GET_DATA_ALERT,),
        "status_code_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", TABLEAU_DATA_ALERT, _undocumented_status),
        api="tableau",
    ),
    Variant(
        "Tableau XML without its namespace",
        (GET_DATA_ALERT,),
        "response_schema_conformance",
        ("examples",),
        lambda app: BreakResponse(app, "GET", TABLEAU_DATA_ALERT, _xml_without_namespace),
        api="tableau",
    ),
    Variant(
        "someone else's alert served",
        (CREATE_ALERT, GET_ALERT),
        "object_level_authorization",
        ("stateful",),
        lambda app: BreakRequest(app, "GET", ALERT, _others_alert_served),
    ),
]
