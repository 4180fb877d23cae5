"""What the Scalingo tests share: the demo credentials, the curl examples' headers, the documented answers."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC = Path(__file__).resolve().parents[3] / "spec" / "scalingo.yaml"

DEMO = ("", "tk-us-demo-token")  # curl -u ":$AUTH_TOKEN"
OTHER = ("", "tk-us-other-token")
DEMO_USER_ID = "us-1c3b9a65-d047-4e4e-8f5c-3b67b2d8a001"
# The documents' curl examples send both headers on every request.
CURL_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}

DOC_ALERT = "al-297f1134-8576-45ac-ab58-2100b6807683"
LISTED_ALERT = "al-b479b620-08da-460c-a00c-fe271086179d"
EXAMPLE_APP_ID = "5ab1128fdccb8b0001111963"
LISTED_APP_ID = "5af97be7ff688d0001228ffb"

NEW_ALERT_ID = re.compile(r"^al-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")


@cache
def _examples() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["examples"]  # type: ignore[no-any-return]


def documented(name: str) -> Any:
    """The document's example `name`, as embedded verbatim in spec/scalingo.yaml."""
    return copy.deepcopy(_examples()[name]["value"])


def parse_time(value: str) -> datetime:
    assert RFC3339_UTC.match(value), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in names}
