"""What the parent process tells the Schemathesis process: credentials, who gets which, mock sessions.

Written as JSON into the run's private temporary directory and named by ``ALERTMOCK_VERIFY_PLAN``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PLAN_ENV = "ALERTMOCK_VERIFY_PLAN"


@dataclass
class Plan:
    url: str
    # Headers per security scheme, preferred first; per operation label, the schemes it accepts.
    schemes: dict[str, dict[str, str]]
    security: dict[str, list[str]]
    # Operations that revoke the credential they are sent, and how to mint one for each call.
    revoking: list[str] = field(default_factory=list)
    client: str = ""
    client_options: dict[str, Any] = field(default_factory=dict)
    # Against the mock: the prefix of the X-Mock-Session each case is sent in (None for a deployment).
    mock_session: str | None = None
    # A second identity for object_level_authorization: its headers per scheme (a deployment), or
    # the client options to sign it in per mock session; None: no second identity.
    second_schemes: dict[str, dict[str, str]] | None = None
    second_options: dict[str, Any] | None = None
    # Against a deployment, unless --allow-destructive: what the run may change (custody.Custody as
    # JSON) and the ledger where the Schemathesis process writes down what it creates.
    custody: dict[str, Any] | None = None
    ledger: str | None = None

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")
        path.chmod(0o600)  # it may hold a password
        return path

    @classmethod
    def from_environment(cls) -> Plan:
        return cls(**json.loads(Path(os.environ[PLAN_ENV]).read_text(encoding="utf-8")))
