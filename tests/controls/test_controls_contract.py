"""The control API fuzzed with Schemathesis against its own contract (alertmock/controls/controls.yaml), as the
vendor APIs are against theirs: whatever it is sent, it answers as documented and never with a 500."""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from alertmock import Config, create_app
from alertmock.controls import CONTROLS_SPEC

TOKEN = "fuzz-admin-token"
APP = create_app(Config(seed=1, clock="2026-06-10T07:08:13Z@x1", quiet=True, admin_token=TOKEN))

# The one answer a schema cannot predict: a snapshot whose records repeat an id within a kind is
# schema-valid (JSON Schema cannot say "unique by id") and refused with a documented 400.
TOLERATED = {
    "operations": [
        {
            "include-name": "PUT /state",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "400"]}},
        }
    ]
}
schema = schemathesis.openapi.from_path(CONTROLS_SPEC, config=schemathesis.Config.from_dict(TOLERATED))
schema.app = APP
schema.config.update(base_url="http://testserver/__mock")
schema.config.generation.update(max_examples=25)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_control_api_honours_its_contract(case: Any) -> None:
    # Each case in its own session: a fuzzed PUT /state or fault must not reach the next case.
    headers = {"X-Mock-Session": f"fuzz-{uuid.uuid4().hex}"}
    # The real token where the case carries one (a generated bearer); a case without it checks the 401.
    if "Authorization" in (case.headers or {}):
        headers["Authorization"] = f"Bearer {TOKEN}"
    case.call_and_validate(headers=headers)
