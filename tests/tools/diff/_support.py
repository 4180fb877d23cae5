"""Running `alertmock diff` as a user does: two documents written to files, the CLI's own parser."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import yaml

from alertmock.cli import build_parser
from alertmock.tools.diff.command import main


def write(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def diff(cwd: Path, *argv: str) -> tuple[int, str]:
    """Exit status and output of ``alertmock diff ARGV`` run in `cwd`."""
    args = build_parser("diff").parse_args(["diff", *argv])
    out = io.StringIO()
    status = main(args, out=out, cwd=cwd)
    return status, out.getvalue()


def diff_json(cwd: Path, *argv: str) -> tuple[int, list[dict[str, Any]]]:
    status, text = diff(cwd, *argv, "--format", "json")
    return status, json.loads(text)["changes"]


def document(paths: dict[str, Any] | None = None, version: str = "1.0.0", **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": version},
        "paths": paths or {},
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "basic": {"type": "http", "scheme": "basic"},
            }
        },
        **extra,
    }


def ok(schema: Any = None, headers: Any = None, media: tuple[str, ...] = ("application/json",)) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        response["content"] = {m: {"schema": schema} for m in media}
    if headers is not None:
        response["headers"] = headers
    return response
