"""Plumbing shared by the contract test modules: one Schemathesis schema per vendor, in-process or remote.

Target: the mock in-process (ASGI, no socket) unless ``ALERTMOCK_BASE_URL`` (or the pytest option
``--alertmock-base-url``) names a deployment. Depth: ``ALERTMOCK_CONTRACT_EXAMPLES`` cases per
operation and phase (default small for CI); ``ALERTMOCK_CONTRACT_DEEP=1`` raises it and lengthens
the stateful runs. See contract_tests/README.md.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from alertmock import Config, create_app
from alertmock.tools.verify import (
    bundled_document,
    obtain,
    register_xml_deserializer,
    schemathesis_settings,
    tag_regex,
    vendor_client,
)
from alertmock.tools.verify.parents import fixture_ids

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path(os.environ.get("ALERTMOCK_SPEC", ROOT / "openapi.yaml"))
DEEP = os.environ.get("ALERTMOCK_CONTRACT_DEEP", "") not in ("", "0", "false", "no")
MAX_EXAMPLES = int(os.environ.get("ALERTMOCK_CONTRACT_EXAMPLES", "100" if DEEP else "20"))
STATEFUL_STEPS = 50 if DEEP else 10
STATEFUL_RUNS = 200 if DEEP else 25
SESSION_HEADER = "X-Mock-Session"

# The brief's demo credentials, which the fixtures ship; against a deployment, the environment's.
MOCK_HEADERS = {
    "matatika": {"Authorization": "Bearer matatika-demo-token"},
    "tableau": {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"},
    "scalingo": {"Authorization": "Basic " + base64.b64encode(b":tk-us-demo-token").decode()},
}

register_xml_deserializer()


def base_url() -> str | None:
    return os.environ.get("ALERTMOCK_BASE_URL") or None


@cache
def app() -> Any:
    """The mock under test, built once per test run (sessions isolate the stateful runs)."""
    return create_app(Config(spec=SPEC, seed=1, clock="2026-06-10T07:08:13Z@x1"))


@cache
def bundled_contract() -> dict[str, Any]:
    # Bundled (every $ref inlined) for the reason given in alertmock/tools/verify/document.py.
    return bundled_document(SPEC)


@cache
def headers(vendor: str) -> dict[str, str]:
    url = base_url()
    if url is None:
        return MOCK_HEADERS[vendor]
    env = os.environ.get
    options = {
        "token": env(f"ALERTMOCK_{vendor.upper()}_TOKEN"),
        "username": env("ALERTMOCK_TABLEAU_USERNAME"),
        "password": env("ALERTMOCK_TABLEAU_PASSWORD"),
        "site": env("ALERTMOCK_TABLEAU_SITE", ""),
        "auth_url": env(f"ALERTMOCK_{vendor.upper()}_AUTH_URL"),
    }
    return obtain(vendor_client(vendor, SPEC), url.rstrip("/"), options).headers


def anchors(vendor: str) -> dict[str, str]:
    """Parent ids, the same as `alertmock verify` uses: the documented fixtures' for the mock (the
    vendor client's ``MOCK_IDS``), ``ALERTMOCK_CONTRACT_SET_PATH`` (NAME=VALUE,...) for a deployment.

    A random dataset id, site or app is a 404 that tests nothing behind it, and no link follows it.
    """
    if base_url() is not None:
        pairs = [p.split("=", 1) for p in os.environ.get("ALERTMOCK_CONTRACT_SET_PATH", "").split(",") if "=" in p]
        return {name.strip(): value.strip() for name, value in pairs}
    return fixture_ids(vendor_client(vendor, SPEC), Config.from_env().fixtures / vendor)


# --- the coverage gate: every operation whose tests ran answered 2xx at least once -------------------

# Operations that may end a run without a 2xx ("METHOD /path"), each with the reason. None today.
ALLOWED_UNTESTED: dict[str, str] = {}
ANSWERS: dict[str, Counter[str]] = defaultdict(Counter)


def record(case: Any, response: Any) -> None:
    """Count one answer under its operation (status class), for the gate in conftest.py."""
    ANSWERS[case.operation.label][f"{response.status_code // 100}xx"] += 1


def schema_for(vendor: str, tag: str | None = None) -> Any:
    """The vendor's operations (or one tag's), authenticated, aimed at the mock or the deployment,
    with the parent ids fixed (`anchors`)."""
    # The listed tolerances (alertmock.tools.verify.TOLERANCES), the same as `alertmock verify` applies.
    config = schemathesis.Config.from_dict(schemathesis_settings())
    schema = schemathesis.openapi.from_dict(_only(bundled_contract(), tag or tag_regex(vendor)), config=config)
    url = base_url()
    if url is None:
        schema.app = app()
        # The mock answers any host; Schemathesis' ASGI transport needs some base URL.
        schema.config.update(base_url="http://testserver")
    else:
        schema.config.update(base_url=url.rstrip("/"))
    schema.config.update(headers=headers(vendor))
    schema.config.generation.update(max_examples=MAX_EXAMPLES)
    parents = anchors(vendor)
    if parents:
        schema.config.update(parameters={f"path.{k}": v for k, v in parents.items()})
    return schema


def _only(document: dict[str, Any], tag: str) -> dict[str, Any]:
    """The contract reduced to the operations of one tag (or tag regex ``^vendor-``).

    Schemathesis' `include()` filters the per-operation tests but not `as_state_machine()`, whose
    transitions span the whole document: a vendor's stateful run would call the other vendors.
    """
    prefix = tag[1:] if tag.startswith("^") else None
    paths: dict[str, Any] = {}
    for path, item in document["paths"].items():
        kept = {
            key: value
            for key, value in item.items()
            if not isinstance(value, dict)
            or "responses" not in value
            or any((t.startswith(prefix) if prefix else t == tag) for t in value.get("tags", []))
        }
        if any(isinstance(v, dict) and "responses" in v for v in kept.values()):
            paths[path] = kept
    return {**document, "paths": paths}


def session_headers() -> dict[str, str]:
    """A fresh mock session (fixtures only): isolates one run from every other."""
    return {SESSION_HEADER: f"contract-{uuid.uuid4().hex}"}


def unit_settings() -> settings:
    """Per-operation tests: repeatable in CI (derandomized), random in a deep run; no deadline on 2 cores."""
    return settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=not DEEP)


def stateful_settings() -> settings:
    return settings(
        max_examples=STATEFUL_RUNS,
        stateful_step_count=STATEFUL_STEPS,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not DEEP,
    )


def state_machine(vendor: str) -> Any:
    """The vendor's stateful test (OpenAPI links), each run in its own mock session."""
    base = schema_for(vendor).as_state_machine()
    parents = anchors(vendor)

    class Machine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            self.session = session_headers()

        def before_call(self, case: Any) -> None:
            # The configuration's `parameters` do not reach the state machine: anchor parents here.
            for name, value in parents.items():
                if case.path_parameters and name in case.path_parameters:
                    case.path_parameters[name] = value
            super().before_call(case)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {**headers(vendor), **self.session}}

        def after_call(self, response: Any, case: Any) -> None:
            record(case, response)
            super().after_call(response, case)

    Machine.__name__ = f"{vendor.title()}StateMachine"
    return Machine
