"""What a reviewer reads and what CI acts on: the five formats, --fail-on, --severity and --ignore."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from alertmock.tools.diff.rules import RULES
from tests.tools.diff._support import diff, document, ok, write

JSON_KEYS = {"id", "level", "operation", "location", "message", "file", "line"}


def _sides(tmp_path: Path, breaking: bool = True) -> Path:
    frequency = {"type": "string", "enum": ["daily"]}
    before = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "frequency": frequency}}
    after: dict[str, Any] = {
        "type": "object",
        "required": ["id"] if not breaking else [],
        "properties": {"id": {"type": "string"}, "frequency": {"type": "string", "enum": ["daily", "weekly"]}},
    }
    parameter = {"name": "page", "in": "query", "schema": {"type": "integer"}}
    write(tmp_path / "before.yaml", document({"/alerts": {"get": {"responses": {"200": ok(before)}}}}))
    write(
        tmp_path / "after.yaml",
        document({"/alerts": {"get": {"parameters": [parameter], "responses": {"200": ok(after)}}}}, version="1.1.0"),
    )
    return tmp_path


def test_text_groups_by_operation_with_err_first(tmp_path: Path) -> None:
    status, text = diff(_sides(tmp_path), "before.yaml", "after.yaml")
    assert status == 1
    lines = text.splitlines()
    assert lines[0] == "alertmock diff: 3 changes (1 ERR, 1 WARN, 1 INFO)"
    assert lines[2] == "GET /alerts"
    assert [line.split()[1] for line in lines[3::2]] == [
        "response-property-became-optional",
        "response-property-enum-value-added",
        "new-optional-request-parameter",
    ]
    assert lines[4].strip().startswith("at after.yaml:")


def test_json_carries_every_field(tmp_path: Path) -> None:
    status, text = diff(_sides(tmp_path), "before.yaml", "after.yaml", "--format", "json")
    changes = json.loads(text)["changes"]
    assert status == 1 and len(changes) == 3
    assert all(set(c) == JSON_KEYS and c["file"] == "after.yaml" and c["line"] > 0 for c in changes)
    assert changes[0]["operation"] == "GET /alerts" and changes[0]["location"] == "response 200 body /id"


def test_markdown_is_a_pull_request_comment(tmp_path: Path) -> None:
    _, text = diff(_sides(tmp_path), "before.yaml", "after.yaml", "--format", "markdown")
    assert text.startswith("### alertmock diff: 1 ERR, 1 WARN, 1 INFO\n")
    assert "#### `GET /alerts`" in text
    assert "| ERR | `response-property-became-optional` | response 200 body /id |" in text


def test_junit_has_a_failure_per_err(tmp_path: Path) -> None:
    _, text = diff(_sides(tmp_path), "before.yaml", "after.yaml", "--format", "junit")
    root = ElementTree.fromstring(text.encode())
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 3
    failures = root.findall("./testsuite/testcase/failure")
    assert [f.get("type") for f in failures] == ["response-property-became-optional"]
    assert cases[0].get("file") == "after.yaml"


def test_github_annotates_the_changed_line(tmp_path: Path) -> None:
    _, text = diff(_sides(tmp_path), "before.yaml", "after.yaml", "--format", "github")
    kinds = [line.split(" ", 1)[0] for line in text.splitlines()]
    assert kinds == ["::error", "::warning", "::notice"]
    first = text.splitlines()[0]
    line = int(first.split("line=")[1].split(",")[0])
    assert first.startswith("::error file=after.yaml,line=")
    assert "title=response-property-became-optional (GET /alerts)::response 200 body /id" in first
    assert "required" in (tmp_path / "after.yaml").read_text().splitlines()[line - 1]


@pytest.mark.parametrize(("fail_on", "breaking", "status"), [("ERR", False, 0), ("WARN", False, 1), ("ERR", True, 1)])
def test_fail_on(tmp_path: Path, fail_on: str, breaking: bool, status: int) -> None:
    assert diff(_sides(tmp_path, breaking), "before.yaml", "after.yaml", "--fail-on", fail_on)[0] == status


def test_no_change_says_so(tmp_path: Path) -> None:
    _sides(tmp_path)
    assert diff(tmp_path, "after.yaml", "after.yaml") == (0, "alertmock diff: no changes\n")


def test_severity_file_relevels_and_drops(tmp_path: Path) -> None:
    _sides(tmp_path)
    (tmp_path / "levels").write_text(
        "# this team's clients read id defensively\nresponse-property-became-optional WARN\n"
        "new-optional-request-parameter NONE\n"
    )
    status, text = diff(tmp_path, "before.yaml", "after.yaml", "--severity", "levels", "--format", "json")
    assert status == 0
    assert [(c["id"], c["level"]) for c in json.loads(text)["changes"]] == [
        ("response-property-became-optional", "WARN"),
        ("response-property-enum-value-added", "WARN"),
    ]


def test_ignore_file_accepts_changes_with_reasons(tmp_path: Path) -> None:
    _sides(tmp_path)
    (tmp_path / "accepted.yaml").write_text(
        "- id: response-property-became-optional\n  operation: GET /alerts\n  reason: agreed with the frontend (#123)\n"
    )
    status, text = diff(tmp_path, "before.yaml", "after.yaml", "--ignore", "accepted.yaml")
    assert status == 0
    assert "became-optional" not in text


@pytest.mark.parametrize(
    ("flag", "content", "said"),
    [
        ("--ignore", "- id: response-property-became-optional\n", "every accepted change needs a reason"),
        ("--ignore", "- id: no-such-rule\n  reason: x\n", "known rule"),
        ("--severity", "response-property-became-optional LOUD\n", "expected 'RULE-ID"),
    ],
)
def test_a_bad_policy_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, content: str, said: str
) -> None:
    _sides(tmp_path)
    (tmp_path / "policy").write_text(content)
    assert diff(tmp_path, "before.yaml", "after.yaml", flag, "policy") == (2, "")
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_bad_yaml_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sides(tmp_path)
    (tmp_path / "broken.yaml").write_text("openapi: [3.0.3\n")
    assert diff(tmp_path, "broken.yaml", "after.yaml")[0] == 2
    err = capsys.readouterr().err
    assert err.startswith("alertmock diff: broken.yaml: not YAML") and err.count("\n") == 1


def test_a_dangling_ref_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "dangling.yaml", document({"/a": {"$ref": "other.yaml#/paths/a"}}))
    write(tmp_path / "other.yaml", {"paths": {}})
    assert diff(tmp_path, "dangling.yaml", "dangling.yaml")[0] == 2
    assert "$ref other.yaml#/paths/a points to nothing" in capsys.readouterr().err


def test_rules_lists_every_rule_for_a_severity_file(tmp_path: Path) -> None:
    status, text = diff(tmp_path, "--rules")
    assert status == 0
    rows = [line.split()[:2] for line in text.splitlines()[1:]]
    assert len(rows) == len(RULES)
    assert ["response-property-enum-value-added", "WARN"] in rows
    # What it prints is what a severity file accepts.
    (tmp_path / "levels").write_text("\n".join(f"{rule} {level}" for rule, level in rows))
    _sides(tmp_path)
    assert diff(tmp_path, "before.yaml", "after.yaml", "--severity", "levels")[0] == 1


def test_both_sides_are_needed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert diff(tmp_path, "openapi.yaml") == (2, "")
    assert "needs BASE and REVISION" in capsys.readouterr().err


def test_a_document_that_is_not_openapi_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    _sides(tmp_path)
    assert diff(tmp_path, "list.yaml", "after.yaml")[0] == 2
    assert "list.yaml: not an OpenAPI document" in capsys.readouterr().err
