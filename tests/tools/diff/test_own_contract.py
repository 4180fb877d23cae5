"""`alertmock diff` on the project's own contract: same meaning is no change; each breaking change
of the kinds it can have is ERR (exit 1); harmless changes of the same areas are not (exit 0)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.tools.diff._support import diff, diff_json

ROOT = Path(__file__).resolve().parents[3]
FILES = ["openapi.yaml", "spec/matatika.yaml", "spec/tableau.yaml", "spec/scalingo.yaml"]

Mutation = Callable[[Any], None]


@pytest.fixture
def sides(tmp_path: Path) -> Path:
    """`base/` (the contract as committed) and `rev/` (a copy to change); returns `rev/`."""
    for side in ("base", "rev"):
        (tmp_path / side / "spec").mkdir(parents=True)
        for name in [*FILES, "spec/documented-operations.yaml"]:
            shutil.copy(ROOT / name, tmp_path / side / name)
    return tmp_path / "rev"


def _redump(path: Path, style: str) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    if style == "json":
        text = json.dumps(data, indent=1)
    else:
        text = yaml.safe_dump(data, sort_keys=True, default_flow_style=style == "flow", width=70, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def _run(rev: Path, *argv: str) -> tuple[int, list[dict[str, Any]]]:
    return diff_json(rev, "../base/openapi.yaml", "openapi.yaml", *argv)


@pytest.mark.parametrize("style", ["block", "flow", "json"])
def test_redumping_every_file_is_no_change(sides: Path, style: str) -> None:
    for name in FILES:
        _redump(sides / name, style)
    assert _run(sides) == (0, [])


def test_moving_and_renaming_ref_targets_is_no_change(sides: Path) -> None:
    tableau = sides / "spec/tableau.yaml"
    text = tableau.read_text(encoding="utf-8").replace('schemas/DataAlert"', 'schemas/TableauDataAlert"')
    text = text.replace("\n    DataAlert:\n", "\n    TableauDataAlert:\n")
    # Pagination moves to a file of its own.
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    pagination = data["components"]["schemas"].pop("Pagination")
    (sides / "spec/common.yaml").write_text(yaml.safe_dump({"Pagination": pagination}), encoding="utf-8")
    data["components"]["schemas"]["DataAlertListResponse"]["properties"]["pagination"] = {
        "$ref": "common.yaml#/Pagination"
    }
    tableau.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert "TableauDataAlert" in tableau.read_text(encoding="utf-8")
    assert _run(sides) == (0, [])


def _at(data: Any, *path: str) -> Any:
    for part in path:
        data = data[part]
    return data


def _schemas(data: Any) -> Any:
    return data["components"]["schemas"]


def _add_to_required(schema: dict[str, Any], name: str) -> None:
    schema["required"] = [*schema.get("required", []), name]


# (file, mutation, the rule it must report, a word on the reported line of the revision)
BREAKING: dict[str, tuple[str, Mutation, str, str]] = {
    "path removed": (
        "openapi.yaml",
        lambda d: d["paths"].pop("/v1/apps/{app}/alerts/{alert_id}"),
        "api-path-removed-without-deprecation",
        "paths",
    ),
    "operation removed": (
        "spec/scalingo.yaml",
        lambda d: d["paths"]["alert"].pop("patch"),
        "api-removed-without-deprecation",
        "alert",
    ),
    "required parameter added": (
        "spec/scalingo.yaml",
        lambda d: (
            d["paths"]["alerts"]["get"]
            .setdefault("parameters", [])
            .append({"name": "metric", "in": "query", "required": True, "schema": {"type": "string"}})
        ),
        "new-required-request-parameter",
        "metric",
    ),
    "optional parameter made required": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "parameters")[0].update(required=True),
        "request-parameter-became-required",
        "required",
    ),
    "parameter type changed": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "parameters")[0]["schema"].update(type="string"),
        "request-parameter-type-changed",
        "type",
    ),
    "parameter minimum raised": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "parameters")[1]["schema"].update(minimum=2),
        "request-parameter-min-increased",
        "minimum",
    ),
    "parameter maximum lowered": (
        "spec/matatika.yaml",
        lambda d: _at(d, "components", "parameters", "size", "schema").update(maximum=100),
        "request-parameter-max-decreased",
        "maximum",
    ),
    "parameter pattern added": (
        "spec/scalingo.yaml",
        lambda d: _at(d, "components", "parameters", "app", "schema").update(pattern="^[a-z0-9-]+$"),
        "request-parameter-pattern-added",
        "pattern",
    ),
    "property maxLength added": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["UpdateDataAlertRequest"]["properties"]["dataAlert"]["properties"]["subject"].update(
            maxLength=50
        ),
        "request-property-max-length-decreased",
        "maxLength",
    ),
    "property minLength raised": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["container_type"].update(minLength=3),
        "request-property-min-length-increased",
        "minLength",
    ),
    "property pattern added": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["metric"].update(pattern="^[a-z_]+$"),
        "request-property-pattern-added",
        "pattern",
    ),
    "request enum value removed": (
        "spec/matatika.yaml",
        lambda d: _schemas(d)["SubscriptionType"]["enum"].remove("NONE"),
        "request-property-enum-value-removed",
        "enum",
    ),
    "request property type changed": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["limit"].update(type="string"),
        "request-property-type-changed",
        "type",
    ),
    "optional property made required": (
        "spec/scalingo.yaml",
        lambda d: _add_to_required(_schemas(d)["AlertCreate"]["allOf"][1], "notifiers"),
        "request-property-became-required",
        "required",
    ),
    "required property added": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertCreate"]["allOf"][1].update(
            properties={"severity": {"type": "string"}}, required=["container_type", "limit", "metric", "severity"]
        ),
        "new-required-request-property",
        "severity",
    ),
    "request media type removed": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alert", "put", "requestBody", "content").pop("text/xml"),
        "request-body-media-type-removed",
        "content",
    ),
    "security requirement added": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "serverinfo", "get").update(security=[{"tableauAuth": []}]),
        "api-security-added",
        "security",
    ),
    "success status changed": (
        "spec/scalingo.yaml",
        lambda d: _at(d, "paths", "alerts", "post", "responses").update(
            {"200": _at(d, "paths", "alerts", "post", "responses").pop("201")}
        ),
        "response-success-status-removed",
        "responses",
    ),
    "required response property removed": (
        "spec/scalingo.yaml",
        lambda d: (_schemas(d)["Alert"]["properties"].pop("metric"), _schemas(d)["Alert"]["required"].remove("metric")),
        "response-required-property-removed",
        "properties",
    ),
    "response property made optional": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["DataAlert"]["required"].remove("subject"),
        "response-property-became-optional",
        "required",
    ),
    "response property type changed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["Pagination"]["properties"]["pageSize"].update(type="integer"),
        "response-property-type-changed",
        "type",
    ),
    "response media type removed": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "responses", "200", "content").pop("text/xml"),
        "response-media-type-removed",
        "content",
    ),
    "xml name changed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["Owner"]["xml"].update(name="user"),
        "response-property-xml-name-changed",
        "xml",
    ),
    "xml attribute changed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["DataAlert"]["properties"]["subject"].pop("xml"),
        "response-property-xml-attribute-changed",
        "subject",
    ),
    "xml namespace changed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["DataAlertListResponse"]["xml"].update(namespace="http://tableau.com/api/v2"),
        "response-property-xml-namespace-changed",
        "xml",
    ),
    "request xml attribute changed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["UpdateDataAlertRequest"]["properties"]["dataAlert"]["properties"]["frequency"].update(
            xml={"attribute": False}
        ),
        "request-property-xml-attribute-changed",
        "xml",
    ),
    "root element renamed": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["DataAlertResponse"]["xml"].update(name="tsResult"),
        "response-property-xml-name-changed",
        "xml",
    ),
    "security scheme header renamed": (
        "openapi.yaml",
        lambda d: d["components"]["securitySchemes"]["tableauAuth"].update(name="X-Tableau-Token"),
        "api-security-scheme-changed",
        "tableauAuth",
    ),
    "request property maximum added": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["limit"].update(maximum=1),
        "request-property-max-decreased",
        "maximum",
    ),
    "request property minimum added": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["limit"].update(minimum=0.5),
        "request-property-min-increased",
        "minimum",
    ),
    "request list capped": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"]["notifiers"].update(maxItems=1),
        "request-property-max-items-decreased",
        "maxItems",
    ),
    "required request body added": (
        "spec/matatika.yaml",
        lambda d: d["paths"]["job-stopped"]["put"].update(
            requestBody={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
        ),
        "new-required-request-body",
        "requestBody",
    ),
    "response property nullable": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["Alert"]["properties"]["id"].update(nullable=True),
        "response-property-became-nullable",
        "nullable",
    ),
}


def _mutate(root: Path, name: str, mutation: Mutation) -> None:
    path = root / name
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    mutation(data)
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, width=1000), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(BREAKING))
def test_a_breaking_change_is_err_with_exit_1(sides: Path, case: str) -> None:
    name, mutation, rule_id, word = BREAKING[case]
    _mutate(sides, name, mutation)
    status, changes = _run(sides)
    assert status == 1
    found = [c for c in changes if c["id"] == rule_id]
    assert found and all(c["level"] == "ERR" for c in found), changes
    assert all(c["file"] and c["line"] for c in changes), changes
    assert {c["file"] for c in found} == {name}
    lines = (sides / name).read_text(encoding="utf-8").splitlines()
    assert any(word in lines[c["line"] - 1] for c in found), [lines[c["line"] - 1] for c in found]
    # The version was not bumped: that is reported on the root's info.version line too.
    version = [c for c in changes if c["id"] == "api-version-not-bumped"]
    assert len(version) == 1 and version[0]["file"] == "openapi.yaml"


def test_a_required_response_header_removed_is_err(sides: Path) -> None:
    # The contract has no required response header: the base gets one, the revision drops it.
    def required(d: Any) -> None:
        d["components"]["headers"]["WWW-Authenticate"]["required"] = True

    _mutate(sides.parent / "base", "spec/matatika.yaml", required)
    _mutate(sides, "spec/matatika.yaml", lambda d: d["components"]["responses"]["Unauthorized"].pop("headers"))
    status, changes = _run(sides)
    assert status == 1
    assert {c["id"] for c in changes} == {"response-required-header-removed", "api-version-not-bumped"}
    assert all(c["file"] == "spec/matatika.yaml" for c in changes if c["id"] != "api-version-not-bumped")


# (file, mutation, the WARN rule it reports): may break a client; fails only with --fail-on WARN.
WARNINGS: dict[str, tuple[str, Mutation, str]] = {
    "response enum value added": (
        "spec/tableau.yaml",
        lambda d: _schemas(d)["DataAlert"]["properties"]["frequency"]["enum"].append("monthly"),
        "response-property-enum-value-added",
    ),
    "default changed": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "parameters")[0]["schema"].update(default=50),
        "request-parameter-default-value-changed",
    ),
}


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_a_possibly_breaking_change_is_a_warning(sides: Path, case: str) -> None:
    name, mutation, rule_id = WARNINGS[case]
    _mutate(sides, name, mutation)
    status, changes = _run(sides)
    assert status == 0
    assert {(c["id"], c["level"], c["file"]) for c in changes} == {(rule_id, "WARN", name)}
    assert _run(sides, "--fail-on", "WARN")[0] == 1


def _reword(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                node[key] = "Reworded: " + value
            else:
                _reword(value)
    elif isinstance(node, list):
        for item in node:
            _reword(item)


def _new_operation(d: Any) -> None:
    d["paths"]["/v1/apps/{app}/notifiers"] = {
        "get": {"security": [{"scalingoBasic": []}], "responses": {"200": {"description": "The app's notifiers."}}}
    }


def _new_example(d: Any) -> None:
    examples = _at(d, "paths", "alerts", "post", "requestBody", "content", "application/json", "examples")
    examples["cpu"] = {
        "summary": "A CPU alert",
        "value": {"alert": {"container_type": "web", "limit": 0.9, "metric": "cpu"}},
    }


def _relaxed(d: Any) -> None:
    d["paths"]["data-alerts"]["get"]["parameters"][2]["schema"].pop("pattern")
    d["paths"]["data-alerts"]["get"]["parameters"][0]["schema"]["minimum"] = 0
    _schemas(d)["UpdateDataAlertRequest"]["properties"]["dataAlert"]["properties"]["subject"].pop("minLength")


# (file, mutation, the INFO rules it reports: none for what does not change the meaning)
HARMLESS: dict[str, tuple[str, Mutation, set[str]]] = {
    "operation added": ("openapi.yaml", _new_operation, {"api-path-added"}),
    "optional parameter added": (
        "spec/scalingo.yaml",
        lambda d: (
            d["paths"]["alerts"]["get"]
            .setdefault("parameters", [])
            .append({"name": "metric", "in": "query", "schema": {"type": "string"}})
        ),
        {"new-optional-request-parameter"},
    ),
    "optional request property added": (
        "spec/scalingo.yaml",
        lambda d: _schemas(d)["AlertAttributes"]["properties"].update(note={"type": "string"}),
        {"new-optional-request-property"},
    ),
    "response property added": (
        "spec/scalingo.yaml",
        lambda d: (
            _schemas(d)["Alert"]["properties"].update(severity={"type": "string"}),
            _schemas(d)["Alert"]["required"].append("severity"),
        ),
        {"response-required-property-added"},
    ),
    "texts reworded": ("spec/tableau.yaml", _reword, set()),
    "root texts reworded": ("openapi.yaml", _reword, set()),
    "example added": ("spec/scalingo.yaml", _new_example, set()),
    "request constraints relaxed": (
        "spec/tableau.yaml",
        _relaxed,
        {
            "request-parameter-pattern-removed",
            "request-parameter-min-decreased",
            "request-property-min-length-decreased",
        },
    ),
    "request enum value added": (
        "spec/matatika.yaml",
        lambda d: _schemas(d)["SubscriptionType"]["enum"].append("DIGEST"),
        {"request-property-enum-value-added"},
    ),
    "operation deprecated": (
        "spec/scalingo.yaml",
        lambda d: d["paths"]["alert"]["patch"].update(deprecated=True),
        {"api-deprecated"},
    ),
    "error status added": (
        "spec/tableau.yaml",
        lambda d: d["paths"]["data-alert"]["get"]["responses"].update({"409": {"description": "A conflict."}}),
        {"response-non-success-status-added"},
    ),
    "response media type added": (
        "spec/scalingo.yaml",
        lambda d: _at(d, "paths", "alert", "get", "responses", "200", "content").update(
            {"application/vnd.scalingo+json": {"schema": {"type": "object"}}}
        ),
        {"response-media-type-added"},
    ),
    "credential alternative added": (
        "spec/scalingo.yaml",
        lambda d: d["paths"]["tokens-exchange"]["post"]["security"].append({"scalingoBearer": []}),
        {"api-security-alternative-added"},
    ),
    "request type widened": (
        "spec/tableau.yaml",
        lambda d: _at(d, "paths", "data-alerts", "get", "parameters")[0]["schema"].update(type="number"),
        {"request-parameter-type-generalized"},
    ),
}


@pytest.mark.parametrize("case", sorted(HARMLESS))
def test_a_harmless_change_is_not_err(sides: Path, case: str) -> None:
    name, mutation, expected = HARMLESS[case]
    _mutate(sides, name, mutation)
    status, changes = _run(sides)
    assert status == 0, changes
    assert not [c for c in changes if c["level"] == "ERR"]
    assert {c["id"] for c in changes if c["level"] == "INFO"} == expected
    assert all(c["file"] == name and c["line"] for c in changes), changes


def test_the_text_report_groups_by_operation_err_first(sides: Path) -> None:
    _mutate(
        sides,
        "spec/tableau.yaml",
        lambda d: (
            _schemas(d)["DataAlert"]["required"].remove("subject"),
            _schemas(d)["DataAlert"]["properties"]["frequency"]["enum"].append("monthly"),
        ),
    )
    status, text = diff(sides, "../base/openapi.yaml", "openapi.yaml")
    assert status == 1
    group = text.split("\n\nGET /api/{api-version}/sites/{site-id}/dataAlerts\n", 1)[1].split("\n\n")[0]
    levels = [line.split()[0] for line in group.splitlines() if not line.startswith("       at")]
    assert levels == ["ERR", "WARN"]
    assert "spec/tableau.yaml:" in group
