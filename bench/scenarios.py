"""What the benchmark measures: one request shape per scenario, replayed by wrk.

Ids, tokens and bodies are the source documents' own (the fixtures hold them), so Prism, which
answers every request with the contract's first example, serves the same requests as alertmock.
A scenario's `prepare` runs against alertmock only (Prism is stateless): it seeds the records a
list needs through the control API.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_APP = ROOT / "tests" / "engine" / "app"

MATATIKA_AUTH = {"Authorization": "Bearer matatika-demo-token"}
TABLEAU_AUTH = {"X-Tableau-Auth": "12ab34cd56ef78ab90cd12ef34ab56cd"}
SCALINGO_AUTH = {"Authorization": "Basic OnRrLXVzLWRlbW8tdG9rZW4="}  # ":tk-us-demo-token"
TABLEAU_SITE = "/api/3.12/sites/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d"
TABLEAU_ALERT = "1a1b1c1d-2e2f-2a2b-3c3d-3e3f4a4b4c4d"

# update-alert.xml of the Tableau document (§ Update Data-Driven Alert), sent as the curl example does.
TABLEAU_UPDATE_XML = """<tsRequest>
    <dataAlert subject="Data alert - Shipping" frequency="daily" public="true">
        <owner id="8eda27d9-5ad2-42cd-a39a-61bc01a423af"/>
    </dataAlert>
</tsRequest>"""

LIST_SIZE = 20
TABLEAU_SEED_PARENT = {"site": TABLEAU_SITE.rsplit("/", 1)[1]}
# The list at 10, 1,000 and 10,000 records in the collection: pages of 5, which even the smallest
# fills, so that the three answers are the same size and only the store's cost differs.
SIZED_PAGE = 5
COLLECTION_SIZES = (10, 1_000, 10_000)


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    expect: int = 200
    # The collection a list reads, seeded to LIST_SIZE records before the run (alertmock only).
    seed_kind: str | None = None
    # Or seeded to this many records in all, in a session of the scenario's own (its X-Mock-Session).
    collection: int | None = None
    # Where seeded records go (`POST /__mock/seed`'s `parent`): the parent the list reads, not the
    # contract's default parent, or the list would answer only its fixtures.
    seed_parent: dict[str, str] | None = None


@dataclass(frozen=True)
class Suite:
    name: str
    spec: Path
    fixtures: Path
    scenarios: tuple[Scenario, ...]
    # The request polled to time start-up (launch to first 200).
    probe: Scenario
    extra_server_args: tuple[str, ...] = ()


ALERTMOCK = Suite(
    name="alertmock",
    spec=ROOT / "openapi.yaml",
    fixtures=ROOT / "fixtures",
    scenarios=(
        Scenario(
            "matatika GET subscription",
            "GET",
            "/api/subscriptions/192962ec-7b14-47e1-92c6-be304b33e4ba",
            MATATIKA_AUTH,
        ),
        Scenario(
            f"matatika HAL list ({LIST_SIZE})",
            "GET",
            f"/api/subscriptions?size={LIST_SIZE}",
            MATATIKA_AUTH,
            seed_kind="matatika.subscriptions",
        ),
        Scenario(
            "scalingo POST create",
            "POST",
            "/v1/apps/5ab1128fdccb8b0001111963/alerts",
            {**SCALINGO_AUTH, "Content-Type": "application/json"},
            body=json.dumps({"alert": {"container_type": "web", "metric": "rpm_per_container", "limit": 1000}}),
            expect=201,
        ),
        Scenario(
            f"tableau XML list ({LIST_SIZE})",
            "GET",
            f"{TABLEAU_SITE}/dataAlerts?pageSize={LIST_SIZE}",
            {**TABLEAU_AUTH, "Accept": "application/xml"},
            seed_kind="tableau.data_alerts",
            seed_parent=TABLEAU_SEED_PARENT,
        ),
        *(
            Scenario(
                f"tableau list, {size:,} stored",
                "GET",
                f"{TABLEAU_SITE}/dataAlerts?pageSize={SIZED_PAGE}",
                {**TABLEAU_AUTH, "Accept": "application/xml", "X-Mock-Session": f"bench-list-{size}"},
                seed_kind="tableau.data_alerts",
                collection=size,
                seed_parent=TABLEAU_SEED_PARENT,
            )
            for size in COLLECTION_SIZES
        ),
        Scenario(
            "tableau XML PUT",
            "PUT",
            f"{TABLEAU_SITE}/dataAlerts/{TABLEAU_ALERT}",
            # curl -d without -H: curl labels the XML application/x-www-form-urlencoded.
            {**TABLEAU_AUTH, "Content-Type": "application/xml"},
            body=TABLEAU_UPDATE_XML,
        ),
        Scenario(
            "matatika job logs NDJSON",
            "GET",
            "/api/jobs/f8a00cdb-4c65-4668-9112-add1fa9d9b97/logs?sequence=0",
            {**MATATIKA_AUTH, "Accept": "application/x-ndjson"},
        ),
    ),
    probe=Scenario("probe", "GET", "/__mock/health"),
)

# The engine's own tiny contract (tests/engine/app): runs without any vendor file, to check the
# harness and to measure the engine's fixed per-request cost.
_WIDGET_KEY = {"X-Key": "good-key"}
ENGINE = Suite(
    name="engine",
    spec=ENGINE_APP / "openapi.yaml",
    fixtures=ENGINE_APP / "fixtures",
    scenarios=(
        Scenario("widgets GET one", "GET", "/w/items/w1", _WIDGET_KEY),
        Scenario(f"widgets list ({LIST_SIZE})", "GET", "/w/items", _WIDGET_KEY, seed_kind="widgets.items"),
        Scenario(
            "widgets POST create",
            "POST",
            "/w/items",
            # Creates go to a session of their own so that the lists keep their length.
            {**_WIDGET_KEY, "Content-Type": "application/json", "X-Mock-Session": "bench-creates"},
            body=json.dumps({"item": {"name": "bench", "size": 3}}),
            expect=201,
        ),
        Scenario(f"widgets XML list ({LIST_SIZE})", "GET", "/w/items", {**_WIDGET_KEY, "Accept": "application/xml"}),
        Scenario(
            "widgets XML POST",
            "POST",
            "/w/items",
            {**_WIDGET_KEY, "Content-Type": "application/xml", "X-Mock-Session": "bench-creates"},
            body='<request><item name="bench" size="3"/></request>',
            expect=201,
        ),
    ),
    probe=Scenario("probe", "GET", "/__mock/health"),
)

SUITES = {s.name: s for s in (ALERTMOCK, ENGINE)}


def call(base: str, scenario: Scenario, timeout: float = 5.0) -> tuple[int, bytes]:
    """One request as wrk will send it: (status, body); status 0 when the server is not up."""
    data = scenario.body.encode() if scenario.body is not None else None
    request = urllib.request.Request(base + scenario.path, data=data, method=scenario.method, headers=scenario.headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def seed(base: str, scenario: Scenario, count_items: Callable[[bytes], int] | None = None) -> str:
    """Grow the scenario's collection until its list (paged at LIST_SIZE) is full; returns a note.

    Generated records are variations of the fixtures taken in turn, and not all of them belong
    to the caller's list (another profile's, another site's): seed in batches until it is full.
    """
    if scenario.seed_kind is None:
        return ""
    if scenario.collection is not None:
        sized = sized_seed(scenario)
        if sized is not None:
            seeded, answer = call(base, sized, timeout=120)
            if seeded != 201:
                return f"seeding {scenario.seed_kind} failed: {seeded} {answer[:200]!r}"
        return f"{scenario.collection:,} {scenario.seed_kind} records"
    count = count_items or count_list_items
    status, have = 0, 0
    for _ in range(20):
        status, body = call(base, scenario)
        have = count(body) if status == 200 else 0
        if status != 200 or have >= LIST_SIZE:
            break
        request = Scenario(
            "seed",
            "POST",
            "/__mock/seed",
            {"Content-Type": "application/json"},
            body=seed_body(scenario, 2 * (LIST_SIZE - have)),
            expect=201,
        )
        seeded, answer = call(base, request)
        if seeded != 201:
            return f"seeding {scenario.seed_kind} failed: {seeded} {answer[:200]!r}"
    return f"{have} items" if status == 200 else f"list answered {status}"


def seed_body(scenario: Scenario, count: int) -> str:
    request: dict[str, object] = {"kind": scenario.seed_kind, "count": count}
    if scenario.seed_parent is not None:
        request["parent"] = scenario.seed_parent
    return json.dumps(request)


def sized_seed(scenario: Scenario) -> Scenario | None:
    """The one seeding request that brings the scenario's session to `collection` records (None: none needed)."""
    assert scenario.seed_kind is not None and scenario.collection is not None
    vendor, kind = scenario.seed_kind.split(".", 1)
    fixture = ROOT / "fixtures" / vendor / f"{kind}.json"  # what a new session starts with
    have = len(json.loads(fixture.read_text(encoding="utf-8"))) if fixture.exists() else 0
    if scenario.collection <= have:
        return None
    session = {k: v for k, v in scenario.headers.items() if k.lower() == "x-mock-session"}
    body = seed_body(scenario, scenario.collection - have)
    return Scenario("seed", "POST", "/__mock/seed", {"Content-Type": "application/json", **session}, body, expect=201)


def count_list_items(body: bytes) -> int:
    """Items in a list answer: the longest array in a JSON (HAL `_embedded` included) or XML body."""
    text = body.strip()
    if text.startswith(b"<"):
        import xml.etree.ElementTree as ElementTree

        root = ElementTree.fromstring(text)
        # The most frequent element tag below the root's children is the item.
        counts: dict[str, int] = {}
        for parent in root.iter():
            for child in parent:
                counts[child.tag] = counts.get(child.tag, 0) + 1
        return max((n for n in counts.values()), default=0) if counts else 0
    try:
        data = json.loads(text)
    except ValueError:
        return 0
    return _longest_array(data)


def _longest_array(value: object) -> int:
    if isinstance(value, list):
        return max([len(value), *(_longest_array(v) for v in value)])
    if isinstance(value, dict):
        return max([0, *(_longest_array(v) for v in value.values())])
    return 0
