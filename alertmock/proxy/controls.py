"""The control API's view of the proxy: ``GET /__mock/violations`` (see alertmock/controls/controls.yaml)."""

from __future__ import annotations

from starlette.responses import Response

from alertmock.app.context import current_runtime, current_session
from alertmock.contract.negotiation import respond
from alertmock.errors import ConflictError
from alertmock.proxy.ledger import ViolationLog
from alertmock.proxy.report import summary_json


def _log() -> ViolationLog | None:
    log: ViolationLog | None = current_runtime().violations
    return log


def _label(operation_id: str | None) -> str | None:
    """An operation as the rest of the mock names it (journal, verify, dashboard): `METHOD /path`."""
    operation = current_runtime().contract.operations.get(operation_id or "")
    return None if operation is None else f"{operation.method} {operation.path}"


async def list_violations(summary: bool = False) -> Response:
    log, session = _log(), current_session()
    if summary:
        tallies = log.summary(session) if log is not None else {}
        operations = [
            {**line, "operation": _label(line["operation"]) or line["operation"], "operation_id": _id(line)}
            for line in summary_json(tallies)
        ]
        return respond({"session": session, "proxy": log is not None, "operations": operations})
    violations = log.violations(session) if log else []
    for violation in violations:
        violation["exchange"] = {**violation["exchange"], "operation": _label(violation["exchange"]["operation_id"])}
    return respond({"session": session, "proxy": log is not None, "violations": violations})


def _id(line: dict[str, object]) -> str | None:
    name = str(line["operation"])
    return None if name.startswith("undocumented ") else name


async def clear_violations() -> Response:
    log = _log()
    if log is not None:
        log.clear(current_session())
    return respond(None, 204)


async def flush_recording() -> Response:
    """``POST /__mock/record/flush``: writes what `--record` has recorded so far."""
    recorder = current_runtime().recorder
    if recorder is None or recorder.directory is None:
        raise ConflictError("not recording: start alertmock proxy with --record DIR")
    written = recorder.flush(recorder.directory)
    counts = {kind: len(records) for kind, records in sorted(recorder.records.items())}
    return respond({"files": [p.relative_to(recorder.directory).as_posix() for p in written], "records": counts})
