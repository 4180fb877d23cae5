"""Handlers of the control API (``alertmock/controls.yaml``, served under ``/__mock``)."""

from __future__ import annotations

import itertools
import os
from datetime import datetime
from typing import Any

from starlette.responses import Response

import alertmock
from alertmock.config import MEMORY_STATE
from alertmock.context import current_runtime, current_session, current_state
from alertmock.errors import ApiError, BadRequestError, NotFoundError
from alertmock.faults import FaultRule
from alertmock.journal import Query
from alertmock.lifecycle import READY
from alertmock.negotiation import respond
from alertmock.store import State


async def _summary(state: State) -> dict[str, Any]:
    return {"session": current_session(), "kinds": {kind: await state.count(kind) for kind in await state.kinds()}}


async def get_health() -> Response:
    runtime = current_runtime()
    return respond(
        {
            "status": "ok",
            "version": alertmock.__version__,
            "operations": len(runtime.contract.operations),
            "fallback_operations": list(runtime.extras.get("fallback_operations", [])),
            "sessions": await runtime.sessions.names(),
            "state": "memory" if runtime.config.state == MEMORY_STATE else "redis",
            "process": os.getpid(),
        }
    )


async def get_ready() -> Response:
    runtime = current_runtime()
    if not runtime.extras.get(READY):
        raise ApiError("The mock is starting or stopping", status=503, headers={"Retry-After": "1"})
    # The store answers (a shared backend is reachable) and says how many sessions it holds.
    sessions = await runtime.sessions.names()
    return respond({"status": "ready", "operations": len(runtime.contract.operations), "sessions": len(sessions)})


async def reset_state() -> Response:
    runtime, session = current_runtime(), current_session()
    state = await runtime.sessions.reset(session)
    await runtime.journal.clear(session)
    await runtime.faults.clear(session)
    return respond(await _summary(state))


async def export_state() -> Response:
    return respond({"session": current_session(), "collections": await current_state().export()})


async def import_state(body: dict[str, Any]) -> Response:
    collections = body["collections"]
    for kind, records in collections.items():
        ids = [str(r["id"]) for r in records]
        if len(set(ids)) != len(ids):
            raise BadRequestError(f"duplicate ids in {kind}")
    state = current_state()
    await state.load(collections)
    return respond(await _summary(state))


async def list_requests(
    method: str | None = None,
    path: str | None = None,
    status: str | None = None,
    since: str | None = None,
    limit: int | None = None,
    session: str | None = None,
) -> Response:
    try:
        query = Query.parse(
            session or current_session(), method=method, path=path, status=status, since=since, limit=limit
        )
    except ValueError as exc:
        raise BadRequestError(str(exc)) from None
    return respond({"requests": await current_runtime().journal.entries(query)})


async def clear_requests() -> Response:
    await current_runtime().journal.clear(current_session())
    return respond(None, 204)


async def get_faults() -> Response:
    rules = await current_runtime().faults.get(current_session())
    return respond({"rules": [r.as_json() for r in rules]})


async def set_faults(body: dict[str, Any]) -> Response:
    rules = [FaultRule.from_json(rule) for rule in body["rules"]]
    await current_runtime().faults.set(current_session(), rules)
    return respond({"rules": [r.as_json() for r in rules]})


async def clear_faults() -> Response:
    await current_runtime().faults.clear(current_session())
    return respond(None, 204)


async def seed_records(body: dict[str, Any]) -> Response:
    kind, count = body["kind"], body["count"]
    state, generator = current_state(), current_runtime().generator
    templates = await state.list(kind)
    if not templates:
        kinds = ", ".join(await state.kinds())
        raise NotFoundError(f"No records of kind {kind!r} to model new ones on; kinds: {kinds}")
    for template in itertools.islice(itertools.cycle(templates), count):
        record = generator.vary(template)
        await state.put(kind, str(record["id"]), record)
    return respond({"kind": kind, "created": count, "total": await state.count(kind)}, 201)


async def get_clock() -> Response:
    return respond({"now": _stamp(current_runtime().clock.now())})


def _stamp(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


async def advance_clock(body: dict[str, Any]) -> Response:
    await current_runtime().clock.advance(float(body["advance_seconds"]))
    return await get_clock()


async def list_jobs() -> Response:
    runtime = current_runtime()
    instant = runtime.clock.now()
    jobs = []
    for vendor in runtime.contract.vendors:
        lister = vendor.job_lister()
        if lister is not None:
            jobs.extend({"vendor": vendor.name, **job} for job in await lister())
    return respond({"now": _stamp(instant), "jobs": jobs})
