"""The served app answers exactly as stock Connexion does: the test that holds alertmock/framework/speed/ to it.

Two apps over the whole contract (the vendors' and the control API): the served one, with every
shim, and `create_app(engine="stock")`, a stock Connexion `AsyncApp` (its default middlewares,
security map and request handling) with only the engine's features. Every operation gets the
documents' examples and generated requests, valid and invalid (Schemathesis strategies, seeded),
each sent to both apps in a fresh mock session of the same name. Status, content type, the headers
the contract declares for that answer and the body must be equal, ids and times normalised.

`test_a_diverging_shim_is_caught` breaks one shim subtly and checks that this comparison notices:
a differential test that cannot fail would prove nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.transport.requests import REQUESTS_TRANSPORT
from starlette.testclient import TestClient

from alertmock import Config, create_app
from alertmock.app.factory import CONTROLS_SPEC
from alertmock.bounded_cache import IdentityCache
from alertmock.contract.document import Contract
from alertmock.layers.engine import SESSION_HEADER

# The last comparison test judges the ones before it: the module runs in one process, in order
# (pytest-xdist's --dist loadfile, in pyproject.toml).

ROOT = Path(__file__).resolve().parents[2]
# Generated requests per operation and mode (valid, invalid), on top of every documented example.
GENERATED = 8
CONFIG = Config(seed=7, clock="2026-06-10T07:08:13Z")

# The documents' demo credentials, which the fixtures ship.
CREDENTIALS = {
    "matatika": {"Authorization": "Bearer matatika-demo-token"},
    "tableau": {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
    "scalingo": {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="},
}


def _fixture(vendor: str, kind: str, key: str = "id") -> str:
    records = json.loads((ROOT / "fixtures" / vendor / f"{kind}.json").read_text(encoding="utf-8"))
    return str(records[0][key])


# Valid requests start from parents that exist (a random site id is a 404 before any validation).
PARENTS = {
    "api-version": "3.12",
    "site-id": _fixture("tableau", "sites"),
    "app": _fixture("scalingo", "apps", "name"),
    "dataset-id": _fixture("matatika", "datasets"),
    "workspace-id": _fixture("matatika", "workspaces"),
    "pipeline-id": _fixture("matatika", "pipelines"),
    "channel-id": _fixture("matatika", "channels"),
}


def _schema(path: Path, base_path: str = "") -> Any:
    schema = schemathesis.openapi.from_dict(Contract(path).resolved)
    schema.config.update(base_url=f"http://testserver{base_path}")
    return schema


VENDOR_OF_TAG = {tag: vendor.name for vendor in Contract(ROOT / "openapi.yaml").vendors for tag in vendor.tags}
OPERATIONS = [
    result.ok()
    for schema in (_schema(ROOT / "openapi.yaml"), _schema(CONTROLS_SPEC, "/__mock"))
    for result in schema.get_all_operations()
]


@pytest.fixture(scope="module")
def differential() -> Differential:
    return Differential(create_app(CONFIG), create_app(CONFIG, engine="stock"))


_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
# How long the engine took, in the control API's request journal.
_DURATION = re.compile(rb'"duration_ms":[0-9.e-]+')


# /__mock/health says which engine answered: the one thing the two apps must differ in.
_ENGINE = re.compile(rb'"engine":"(speed|stock)"')


def _normalised(body: bytes) -> bytes:
    body = _ENGINE.sub(b'"engine":"<engine>"', body)
    return _DURATION.sub(b'"duration_ms":0', _TIME.sub(b"<time>", _UUID.sub(b"<id>", body)))


def _answer(operation: Any, response: Any) -> dict[str, Any]:
    """What a client relies on: status, content type, the declared headers, the body."""
    documented = operation.definition.raw.get("responses", {})
    declared = documented.get(str(response.status_code), documented.get("default", {})).get("headers", {})
    return {
        "status": response.status_code,
        "content-type": response.headers.get("content-type"),
        "headers": {name.lower(): response.headers.get(name.lower()) for name in declared},
        "body": _normalised(response.content),
    }


_SESSIONS = itertools.count()


class Differential:
    """Sends each case to both apps, in a fresh session of the same name, and compares the answers."""

    def __init__(self, planned: Any, stock: Any) -> None:
        self.planned, self.stock = planned, stock
        self.statuses: set[int] = set()
        self.compared = 0

    def compare(self, case: Any) -> None:
        vendor = next((VENDOR_OF_TAG[t] for t in case.operation.tags or () if t in VENDOR_OF_TAG), None)
        headers = {**CREDENTIALS.get(vendor, {}), SESSION_HEADER: f"differential-{next(_SESSIONS)}"}
        planned = _answer(case.operation, case.call(app=self.planned, headers=headers))
        stock = _answer(case.operation, case.call(app=self.stock, headers=headers))
        self.statuses.add(stock["status"])
        self.compared += 1
        assert planned == stock, f"{case.operation.label}: {case.as_curl_command()}"

    def run(self, operation: Any, generated: int = GENERATED) -> None:
        for strategy in operation.get_strategies_from_examples():
            self._each(strategy, 1)
        if not generated:
            return
        parents = {name: value for name, value in PARENTS.items() if name in _path_parameters(operation)}
        self._each(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=parents), generated)
        # Unsatisfiable: nothing in the operation can be made invalid (no parameters, no body).
        with contextlib.suppress(Unsatisfiable):
            self._each(operation.as_strategy(GenerationMode.NEGATIVE), generated)

    def _each(self, strategy: Any, examples: int) -> None:
        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            self.compare(case)

        check()


def _path_parameters(operation: Any) -> set[str]:
    return set(re.findall(r"{([^}]+)}", operation.path))


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_the_served_app_answers_as_stock_connexion(operation: Any, differential: Differential) -> None:
    differential.run(operation)


def test_the_comparison_covers_answers_of_every_kind(differential: Differential) -> None:
    if not differential.compared:  # run on its own: a shorter comparison
        for operation in OPERATIONS:
            differential.run(operation, generated=2)
    else:  # after the whole comparison: examples plus a few hundred generated requests
        assert differential.compared >= 8 * len(OPERATIONS)
    assert differential.statuses >= {200, 201, 204, 400, 401, 404}, differential.statuses


def test_every_operation_of_the_contract_is_compared() -> None:
    contract = Contract(ROOT / "openapi.yaml")
    contract.include(Contract(CONTROLS_SPEC))
    assert len(OPERATIONS) == len(contract.operations)


# --- Chunked bodies: Transfer-Encoding: chunked, no Content-Length -----------------------------------

WITH_A_BODY = [operation for operation in OPERATIONS if "requestBody" in operation.definition.raw]


class ChunkedDifferential(Differential):
    """Sends each case's body chunked (no Content-Length) to both apps, and compares their answers
    with each other and with a third (served) app's answer to the same body sent with its length,
    each in a session of the same name."""

    def __init__(self, planned: TestClient, stock: TestClient, with_length: TestClient) -> None:
        super().__init__(planned.app, stock.app)
        self.clients = planned, stock, with_length

    def compare(self, case: Any) -> None:
        vendor = next((VENDOR_OF_TAG[t] for t in case.operation.tags or () if t in VENDOR_OF_TAG), None)
        base = "http://testserver" + ("" if vendor else "/__mock")
        data = REQUESTS_TRANSPORT.serialize_case(case, base_url=base, headers=CREDENTIALS.get(vendor or "", {}))
        prepared = requests.Request(**data).prepare()
        raw = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body or b""
        headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        headers[SESSION_HEADER] = f"differential-{next(_SESSIONS)}"
        answers = []
        for client, chunked in zip(self.clients, (True, True, False), strict=True):
            content = iter([raw] if raw else []) if chunked else raw
            response = client.request(prepared.method or "", prepared.url or "", headers=headers, content=content)
            answers.append(_answer(case.operation, response))
        self.statuses.add(answers[1]["status"])
        self.compared += 1
        planned, stock, with_length = answers
        assert planned == stock, f"{case.operation.label} chunked: {case.as_curl_command()}"
        assert planned == with_length, f"{case.operation.label} chunked vs Content-Length: {case.as_curl_command()}"


@pytest.fixture(scope="module")
def chunked() -> Iterator[ChunkedDifferential]:
    with (
        TestClient(create_app(CONFIG), raise_server_exceptions=False) as planned,
        TestClient(create_app(CONFIG, engine="stock"), raise_server_exceptions=False) as stock,
        TestClient(create_app(CONFIG), raise_server_exceptions=False) as with_length,
    ):
        yield ChunkedDifferential(planned, stock, with_length)


@pytest.mark.parametrize("operation", WITH_A_BODY, ids=lambda operation: operation.label)
def test_chunked_bodies_are_answered_as_stock_connexion_and_as_with_a_length(
    operation: Any, chunked: ChunkedDifferential
) -> None:
    chunked.run(operation, generated=GENERATED // 2)
    assert {200, 400} & chunked.statuses


def test_the_chunked_comparison_sends_a_body_without_content_length() -> None:
    request = TestClient(create_app(CONFIG)).build_request("POST", "/", content=iter([b"{}"]))
    assert request.headers["transfer-encoding"] == "chunked" and "content-length" not in request.headers


# --- The engine's test app: the edge cases Schemathesis does not send -------------------------------

ENGINE_APP = ROOT / "tests" / "engine" / "app"
KEY = {"X-Key": "good-key"}
# Forms, XML and curl's sniffed bodies, 405, 415, malformed and non-UTF-8 JSON, compiled validators reused.
EDGE_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/w/items", {"headers": KEY}),
    ("GET", "/w/items", {"headers": {**KEY, "Accept": "application/xml"}}),
    ("GET", "/w/items/w1?verbose=2", {"headers": KEY}),
    ("GET", "/w/items/w1?verbose=x", {"headers": KEY}),
    ("GET", "/w/items/w1?verbose=-1", {"headers": KEY}),
    ("GET", "/w/items/NOT_VALID", {"headers": KEY}),
    ("GET", "/w/items/nope", {"headers": KEY}),
    ("GET", "/w/items", {}),
    ("GET", "/w/items", {"headers": {"X-Key": "wrong"}}),
    ("POST", "/w/items", {"headers": KEY, "json": {"item": {"name": "a", "size": 2}}}),
    ("POST", "/w/items", {"headers": KEY, "json": {"item": {}}}),
    ("POST", "/w/items", {"headers": KEY, "json": {"item": {"name": "x", "size": "big"}}}),
    ("POST", "/w/items", {"headers": {**KEY, "Content-Type": "application/json"}, "content": b"{bad"}),
    ("POST", "/w/items", {"headers": {**KEY, "Content-Type": "application/json"}, "content": b'{"a": "\xff"}'}),
    ("POST", "/w/items", {"headers": {**KEY, "Content-Type": "application/json"}, "content": b""}),
    (
        "POST",
        "/w/items",
        {
            "headers": {**KEY, "Content-Type": "application/json;charset=latin-1"},
            "content": b'{"item": {"name": "\xe9"}}',
        },
    ),
    (
        "POST",
        "/w/items",
        {
            "headers": {**KEY, "Content-Type": "application/xml"},
            "content": b'<request><item name="x" size="3"/></request>',
        },
    ),
    (
        "POST",
        "/w/items",
        {"headers": {**KEY, "Content-Type": "application/xml"}, "content": b'<request><item size="x"/></request>'},
    ),
    ("POST", "/w/items", {"headers": {**KEY, "Content-Type": "text/plain"}, "content": b"hello"}),
    ("POST", "/w/items", {"headers": {**KEY, "Content-Type": "application/x-www-form-urlencoded"}, "content": b"a=b"}),
    ("POST", "/w/items", {"headers": KEY, "content": b'<request><item name="curl"/></request>'}),
    ("DELETE", "/w/items/w2", {"headers": KEY}),
    ("PUT", "/w/items", {"headers": KEY}),
    ("GET", "/w/unbuilt", {}),
    ("GET", "/w/unknown", {}),
    ("GET", "/__mock/health", {}),
    # Again: validators are compiled once, and the second use must read the same.
    ("GET", "/w/items/w1?verbose=x", {"headers": KEY}),
    ("GET", "/w/items/w1?verbose=2", {"headers": KEY}),
    ("GET", "/w/items/NOT_VALID", {"headers": KEY}),
]


def _edge_answers(planned: bool) -> list[tuple[int, dict[str, str], bytes]]:
    config = Config(spec=ENGINE_APP / "openapi.yaml", fixtures=ENGINE_APP / "fixtures", validate_responses=True, seed=7)
    answers = []
    with TestClient(
        create_app(config, engine="speed" if planned else "stock"), raise_server_exceptions=False
    ) as client:
        for method, path, kwargs in EDGE_CASES:
            answer = client.request(method, path, **kwargs)
            headers = {k: v for k, v in answer.headers.items() if k not in ("date", "server")}
            answers.append((answer.status_code, headers, _ENGINE.sub(b"<engine>", answer.content)))
    return answers


def test_the_edge_cases_get_stock_connexions_answers_byte_for_byte() -> None:
    stock, planned = _edge_answers(planned=False), _edge_answers(planned=True)
    assert {status for status, _, _ in stock} >= {200, 201, 204, 400, 401, 404, 405, 415}
    for request, expected, actual in zip(EDGE_CASES, stock, planned, strict=True):
        assert actual == expected, request


_SCALINGO_ALERTS = "/v1/apps/5ab1128fdccb8b0001111963/alerts"
# Credentials wrong in each way Connexion's security handlers tell apart, for each vendor's scheme.
CREDENTIAL_CASES: list[tuple[str, str, dict[str, str]]] = [
    ("GET", _SCALINGO_ALERTS, {}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Basic Ondyb25n"}),  # ":wrong"
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Basic !!not-base64"}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Basic"}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Bearer tk-us-demo-token"}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Bearer not-a-token"}),
    ("GET", _SCALINGO_ALERTS, {"Authorization": "Token tk-us-demo-token"}),
    ("GET", "/api/subscriptions", {"Authorization": "Bearer matatika-demo-token"}),
    ("GET", "/api/subscriptions", {"Authorization": "Bearer wrong"}),
    ("GET", "/api/subscriptions", {"authorization": "bearer matatika-demo-token"}),
    ("GET", "/api/subscriptions", {}),
    ("GET", "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d/dataAlerts", {"X-Tableau-Auth": "wrong"}),
    ("GET", "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d/dataAlerts", {}),
]


def test_wrong_credentials_get_stock_connexions_answers_for_every_scheme() -> None:
    def answers(planned: bool) -> list[tuple[int, bytes]]:
        with TestClient(
            create_app(CONFIG, engine="speed" if planned else "stock"), raise_server_exceptions=False
        ) as client:
            return [
                (a.status_code, a.content) for a in (client.request(m, p, headers=h) for m, p, h in CREDENTIAL_CASES)
            ]

    stock, planned = answers(planned=False), answers(planned=True)
    assert {status for status, _ in stock} >= {200, 401}
    for request, expected, actual in zip(CREDENTIAL_CASES, stock, planned, strict=True):
        assert actual == expected, request


def _takes_a_body_with_required_properties(operation: Any) -> bool:
    content = operation.definition.raw.get("requestBody", {}).get("content", {})
    return any((media.get("schema") or {}).get("required") for media in content.values())


def test_a_diverging_shim_is_caught(differential: Differential, monkeypatch: pytest.MonkeyPatch) -> None:
    # A subtle break: the jsonschema_rs fast path loses `required` in translation, so it calls a
    # body without a required property valid (the kind of disagreement its docstring warns of).
    # Answers of other kinds, and every body that is valid, stay the same.
    from alertmock.framework.speed import schema_fast_path

    translate = schema_fast_path._translate

    def forgetting_required(node: Any, *args: Any) -> dict[str, Any]:
        translated = translate(node, *args)
        translated.pop("required", None)
        return translated

    monkeypatch.setattr(schema_fast_path, "_translate", forgetting_required)
    monkeypatch.setattr(
        schema_fast_path, "_fast", IdentityCache(schema_fast_path.CACHE_LIMIT)
    )  # fast paths built before the break
    with pytest.raises(AssertionError, match="Differing items"):
        for operation in filter(_takes_a_body_with_required_properties, OPERATIONS):
            differential.run(operation)


def test_a_parameter_memo_that_forgets_an_input_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parameter validator remembers the URLs it accepted; a key that left the query string
    # out would accept `?verbose=x` because `?verbose=2` passed on the same item.
    from alertmock.framework.speed import fast_validators

    url_key = fast_validators._url_key
    monkeypatch.setattr(fast_validators, "_url_key", lambda scope: url_key({**scope, "query_string": b""}))
    with pytest.raises(AssertionError):
        test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()


def test_routed_layers_hand_requests_to_the_next_operation_and_a_wrong_link_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The served app links each routed layer's operation to the next layer's (linked_operations.py),
    # so the comparisons above run through the links; a link to another operation is noticed.
    from alertmock.framework.speed import linked_operations, planned_app

    linked: list[int] = []
    link = linked_operations.link_operations
    monkeypatch.setattr(planned_app, "link_operations", lambda stack: linked.append(link(stack)) or linked[-1])
    with TestClient(create_app(CONFIG)) as client:
        assert client.get("/__mock/health").status_code == 200
    assert linked and linked[0] > len(OPERATIONS)

    next_operation = linked_operations._next_operation

    def first_of_the_api(app: Any, base_path: str, operation_id: str | None) -> Any:
        right = next_operation(app, base_path, operation_id)
        if right is None:
            return None
        while isinstance(app, linked_operations.LifespanMiddleware):
            app = app.next_app
        return next(iter(app.apis[base_path][0].operations.values()))

    monkeypatch.setattr(linked_operations, "_next_operation", first_of_the_api)
    with pytest.raises(AssertionError):
        test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()


# --- The fused routed operations (alertmock/framework/speed/routed_operation.py) and the routing memo -----------


def test_the_served_app_fuses_its_operations_and_the_comparisons_run_through_them() -> None:
    # The vendors' operations run fused down to the handler in the app compared above; with
    # response validation on (the edge cases' app), security and validation are fused and the
    # rest of the chain runs linked. The control API's operations are never fused: the linked
    # chain (the fallback) is compared there, and for the vendors' when fusing is off (below).
    from alertmock.framework.speed.planned_app import IndexedRoutingMiddleware

    def fused(config: Config) -> dict[str, Any]:
        app = create_app(config)
        with TestClient(app) as client:
            assert client.get("/__mock/health").status_code == 200
        routing = next(
            layer for layer in app.middleware.middleware_stack if isinstance(layer, IndexedRoutingMiddleware)
        )
        return routing._fused

    vendors = fused(CONFIG)
    assert len(vendors) == len(Contract(ROOT / "openapi.yaml").operations)
    assert all(operation.endpoint is not None and operation.validation is not None for operation in vendors.values())
    assert sum(operation.verify is not None for operation in vendors.values()) > len(vendors) // 2
    config = Config(spec=ENGINE_APP / "openapi.yaml", fixtures=ENGINE_APP / "fixtures", validate_responses=True)
    engine = fused(config)
    assert engine and all(operation.endpoint is None and operation.rest is not None for operation in engine.values())


def test_a_fused_operation_that_skips_security_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from alertmock.framework.speed import routed_operation

    fuse = routed_operation.fuse

    def without_security(*args: Any) -> Any:
        operation = fuse(*args)
        if operation is not None:
            operation.verify = None
        return operation

    monkeypatch.setattr(routed_operation, "fuse", without_security)
    with pytest.raises(AssertionError):
        test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()


def test_without_fused_operations_the_linked_chain_answers_as_stock(monkeypatch: pytest.MonkeyPatch) -> None:
    from alertmock.framework.speed import routed_operation

    monkeypatch.setattr(routed_operation, "fuse", lambda *args: None)
    test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()


def test_a_routing_memo_that_forgets_the_method_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The root API's matches are remembered per (method, path): keyed by the path alone, the POST
    # after a GET of the same path would reach the GET's operation.
    from alertmock.bounded_cache import BoundedCache
    from alertmock.framework.speed import planned_app

    class MethodBlind(BoundedCache[Any, Any]):
        def get(self, key: Any, default: Any = None) -> Any:
            return super().get(key[1], default)

        def put(self, key: Any, value: Any) -> Any:
            return super().put(key[1], value)

    init = planned_app.IndexedRoutingMiddleware.__init__

    def method_blind(self: Any, app: Any) -> None:
        init(self, app)
        self._matched = MethodBlind(16)

    monkeypatch.setattr(planned_app.IndexedRoutingMiddleware, "__init__", method_blind)
    with pytest.raises(AssertionError):
        test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()


def test_an_exception_layer_that_hands_its_handler_another_request_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The planned app's exception layer builds its request only when it handles an exception
    # (alertmock/framework/speed/exception_layer.py); built from anything but the request's own scope, the
    # engine's error answers (a 405 names the method) would differ.
    from starlette.requests import Request

    from alertmock.framework.speed import exception_layer

    monkeypatch.setattr(
        exception_layer, "Request", lambda scope, receive, send: Request({**scope, "method": "PATCH"}, receive, send)
    )
    with pytest.raises(AssertionError):
        test_the_edge_cases_get_stock_connexions_answers_byte_for_byte()
