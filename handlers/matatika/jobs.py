"""Jobs (document 002): run a pipeline, follow the job and its logs, stop it, delete it.

Status, times and logs are derived from the simulated clock on every read (see `_lifecycle`).
"""

from __future__ import annotations

from typing import Any

import orjson

from alertmock import (
    ConflictError,
    Response,
    base_url,
    current_operation,
    current_request,
    current_state,
    negotiate,
    new_uuid,
    now,
    respond,
)

from . import _lifecycle, _wire
from ._store import Record, require

KIND = "matatika.jobs"


async def list_workspace_jobs(workspace_id: str, page: int, size: int, **_: Any) -> Response:
    await require("workspaces", workspace_id, f"Workspace {workspace_id} must exist")
    jobs = _newest_first(await current_state().list(KIND, where={"workspaceId": workspace_id}))
    return respond(await _wire.page(jobs, _job_now(), "jobs", f"/api/workspaces/{workspace_id}/jobs", page, size))


async def list_pipeline_jobs(pipeline_id: str, page: int, size: int, **_: Any) -> Response:
    await require("pipelines", pipeline_id, f"Pipeline {pipeline_id} must exist")
    jobs = _newest_first(await current_state().list(KIND, where={"pipelineId": pipeline_id}))
    return respond(await _wire.page(jobs, _job_now(), "jobs", f"/api/pipelines/{pipeline_id}/jobs", page, size))


async def create_job(pipeline_id: str, **_: Any) -> Response:
    pipeline = await require("pipelines", pipeline_id, f"Pipeline {pipeline_id} must exist")
    state, instant = current_state(), now()
    for job in await state.list(KIND, where={"pipelineId": pipeline_id}):
        if _lifecycle.view(job, instant)["status"] in _lifecycle.ACTIVE:
            raise ConflictError(f"Pipeline {pipeline_id} is already running (job {job['id']})")
    record = {
        "id": new_uuid(),
        "type": "PIPELINE_RUN",
        "pipelineId": pipeline_id,
        "workspaceId": pipeline["workspaceId"],
        "created": _wire.stamp(instant),
        "plan": _lifecycle.plan(pipeline),
    }
    await state.put(KIND, record["id"], record)
    body = _wire.job(_lifecycle.view(record, instant))
    return respond(body, 201, headers={"Location": body["_links"]["self"]["href"]})


async def get_job(job_id: str, **_: Any) -> Response:
    return respond(_wire.job(_lifecycle.view(await _job(job_id), now())))


async def get_job_logs(job_id: str, sequence: int, **_: Any) -> Response:
    job = await _job(job_id)
    # The media types the contract documents for the logs' 200, text first: it answers `*/*` and no Accept.
    documented = tuple(current_operation().responses["200"].content)
    media_type = negotiate(documented, current_request().headers.get("accept"))
    lines = _lifecycle.logs(job)[sequence:]
    if not lines:
        return Response(status_code=204)
    if media_type == "text/plain":
        content = "".join(f"{line}\n" for line in lines).encode()
    else:
        # Joined, then the last line's newline: the same bytes as one newline per line, fewer copies.
        numbered = enumerate(lines, start=sequence)
        content = b"\n".join([orjson.dumps({"sequence": n, "line": line}) for n, line in numbered]) + b"\n"
    return Response(content, media_type=media_type)


async def stop_job(job_id: str, **_: Any) -> Response:
    job, instant = await _job(job_id), now()
    status = _lifecycle.view(job, instant)["status"]
    if status != "RUNNING":
        raise ConflictError(f"Job {job_id} must have status RUNNING (its status is {status})")
    record = _lifecycle.stopped(job, instant)
    await current_state().put(KIND, job_id, record)
    return respond(_wire.job(record), 202)


async def delete_job(job_id: str, **_: Any) -> Response:
    # Deleting also stops a running job: with no record left, nothing of it runs on.
    await _job(job_id)
    await current_state().delete(KIND, job_id)
    return respond(None, 204)


async def _job(job_id: str) -> Record:
    return await require("jobs", job_id, f"Job {job_id} not found")


def _newest_first(jobs: list[Record]) -> list[Record]:
    return sorted(jobs, key=lambda j: _wire.parse(j["created"]), reverse=True)


def _job_now() -> Any:
    """Records -> wire forms of the jobs as they stand now on the mock's clock (base URL read once per page)."""
    instant, base = now(), base_url()

    async def convert(jobs: list[Record]) -> list[Record]:
        return [_wire.job(_lifecycle.view(job, instant), base) for job in jobs]

    return convert


async def job_states() -> list[Record]:
    """The session's jobs as they stand on the mock's clock, newest first (the control API's `GET /__mock/jobs`).

    Named by the contract (`x-alertmock.vendors[].jobs`), so the engine can show every vendor's
    long-running things without knowing what a Matatika job is.
    """
    state, instant = current_state(), now()
    states = []
    for job in _newest_first(await state.list(KIND)):
        view = _lifecycle.view(job, instant)
        pipeline = await state.get("matatika.pipelines", job["pipelineId"]) or {}
        states.append(
            {
                "id": view["id"],
                "status": view["status"],
                "name": pipeline.get("name") or (job.get("plan") or {}).get("pipelineName") or view["type"],
                "created": view["created"],
                **({"started": view["startTime"]} if view.get("startTime") else {}),
                **({"ended": view["endTime"]} if view.get("endTime") else {}),
            }
        )
    return states
