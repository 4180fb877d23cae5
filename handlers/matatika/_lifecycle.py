"""Job lifecycles on the simulated clock, derived on read (no background task).

A job created by the mock carries a `plan` (queue and run durations, outcome), fixed when it is
created: it is QUEUED for `queuedSeconds`, RUNNING for `runSeconds` while its log grows line by
line, then COMPLETE (exit code 0) or ERROR (exit code 1). A job without a plan (the seeded ones,
or one that was stopped) is frozen: its fields and `logs` are stored as they are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from alertmock import current_settings, now

from . import _wire

Record = dict[str, Any]

DEFAULT_QUEUE_SECONDS = 2.0
DEFAULT_RUN_SECONDS = 30.0
DEFAULT_OUTCOME = "COMPLETE"
ACTIVE = ("QUEUED", "RUNNING")

_RUN_SCRIPT = (
    "Starting job {job} for pipeline '{pipeline}'",
    "Installing plugins for pipeline '{pipeline}'",
    "meltano run for pipeline '{pipeline}'",
    "extractor | Sync started",
    "extractor | Sync completed",
    "loader | Records loaded",
    "transformer | Models built",
)
_FAILING_AFTER = 4  # an ERROR run fails once the extractor has started
_FAILURE = "extractor | ERROR Authentication failed: the configured credentials were rejected"


def plan(pipeline: Record) -> Record:
    """Durations and outcome for a new run of `pipeline`, from the settings (the pipeline may force ERROR)."""
    settings = current_settings()
    return {
        "queuedSeconds": float(settings.get("matatika.job_queue_seconds", DEFAULT_QUEUE_SECONDS)),
        "runSeconds": float(settings.get("matatika.job_run_seconds", DEFAULT_RUN_SECONDS)),
        "outcome": pipeline.get("runOutcome") or str(settings.get("matatika.job_outcome", DEFAULT_OUTCOME)),
        "pipelineName": pipeline.get("name", ""),
    }


def view(record: Record, at: datetime) -> Record:
    """The job as it is at `at`: status, startTime, endTime, exitCode and logs filled in."""
    schedule = record.get("plan")
    if schedule is None:
        return {**record, "logs": list(record.get("logs", []))}
    created = _wire.parse(record["created"])
    start = created + timedelta(seconds=schedule["queuedSeconds"])
    end = start + timedelta(seconds=schedule["runSeconds"])
    derived = {k: v for k, v in record.items() if k != "plan"}
    if at < start:
        return {**derived, "status": "QUEUED", "logs": []}
    lines = _timed_lines(record, schedule, start, end)
    if at < end:
        return {
            **derived,
            "status": "RUNNING",
            "startTime": _wire.stamp(start),
            "logs": [text for when, text in lines if when <= at],
        }
    failed = schedule["outcome"] == "ERROR"
    closing = "Job failed with exit code 1" if failed else "Job completed with exit code 0"
    return {
        **derived,
        "status": "ERROR" if failed else "COMPLETE",
        "exitCode": 1 if failed else 0,
        "startTime": _wire.stamp(start),
        "endTime": _wire.stamp(end),
        "logs": [text for _, text in lines] + [f"{_wire.stamp(end)} {closing}"],
    }


def logs(record: Record) -> list[str]:
    """The job's log lines as they stand now (read-only: a frozen job's are its stored list).

    A frozen job's log does not depend on the time, so neither the clock nor `view` is needed.
    """
    if record.get("plan") is None:
        return record.get("logs", [])
    return view(record, now())["logs"]


def stopped(record: Record, at: datetime) -> Record:
    """The frozen record of a job stopped at `at` (it must be RUNNING)."""
    current = view(record, at)
    return {
        **current,
        "status": "STOPPED",
        "endTime": _wire.stamp(at),
        "logs": [*current["logs"], f"{_wire.stamp(at)} Job stopped"],
    }


def _timed_lines(record: Record, schedule: Record, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    script = list(_RUN_SCRIPT)
    if schedule["outcome"] == "ERROR":
        script = [*script[:_FAILING_AFTER], _FAILURE]
    step = (end - start) / len(script)
    timed = []
    for index, message in enumerate(script):
        when = start + step * index
        text = message.format(job=record["id"], pipeline=schedule.get("pipelineName", ""))
        timed.append((when, f"{_wire.stamp(when)} {text}"))
    return timed
