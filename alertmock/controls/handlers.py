"""Handlers of the control API (``alertmock/controls/controls.yaml``, served under ``/__mock``)."""

from __future__ import annotations

import asyncio
import itertools
import os
from datetime import datetime
from typing import Any

from starlette.responses import Response

import alertmock
from alertmock.app.config import MEMORY_STATE
from alertmock.app.context import current_runtime, current_session, current_state
from alertmock.contract.document import SeedParent
from alertmock.contract.negotiation import respond
from alertmock.errors import ApiError, BadRequestError, NotFoundError
from alertmock.state.faults import FaultRule
from alertmock.state.journal import Query
from alertmock.state.store import Record, State
from alertmock.state.store_outage import StoreUnavailableError

# How long /__mock/health waits for the state store before saying it is down.
HEALTH_STORE_SECONDS = 1.0


async def _summary(state: State) -> dict[str, Any]:
    return {"session": current_session(), "kinds": {kind: await state.count(kind) for kind in await state.kinds()}}


async def get_health() -> Response:
    runtime = current_runtime()
    # Liveness: the process answers even when its state store does not (readiness says 503).
    try:
        # Bounded: a probe's timeout is short, and a store that does not answer in time is down to it.
        sessions, store = await asyncio.wait_for(runtime.sessions.names(), HEALTH_STORE_SECONDS), "up"
    except (StoreUnavailableError, TimeoutError):
        sessions, store = [], "down"
    return respond(
        {
            "status": "ok",
            "version": alertmock.__version__,
            "operations": len(runtime.contract.operations),
            "fallback_operations": list(runtime.fallback_operations),
            "engine": runtime.engine,
            "sessions": sessions,
            "state": "memory" if runtime.config.state == MEMORY_STATE else "redis",
            "store": store,
            "process": os.getpid(),
        }
    )


async def get_ready() -> Response:
    runtime = current_runtime()
    if not runtime.ready:
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
    since: int | None = None,
    after: str | None = None,
    limit: int | None = None,
    session: str | None = None,
) -> Response:
    try:
        query = Query.parse(
            session or current_session(),
            method=method,
            path=path,
            status=status,
            since=since,
            after=after,
            limit=limit,
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
    if not await state.count(kind):
        kinds = ", ".join(await state.kinds())
        raise NotFoundError(f"No records of kind {kind!r} to model new ones on; kinds: {kinds}")
    parent, parent_record = await _seed_parent(state, kind, body.get("parent") or {})
    where = {parent.field: parent_record["id"]} if parent is not None else None
    templates = (await state.list(kind, where=where, limit=50) if where else []) or await state.list(kind, limit=50)
    for template in itertools.islice(itertools.cycle(templates), count):
        record = generator.vary(template)
        if parent is not None:
            _set(record, parent.field, parent_record["id"])
            for child_field, parent_field in parent.inherit.items():
                _set(record, child_field, parent_record.get(parent_field))
        await state.put(kind, str(record["id"]), record)
    answer: dict[str, Any] = {"kind": kind, "created": count, "total": await state.count(kind)}
    if parent is not None:
        answer["parent"] = {parent.name: parent_record["id"]}
        answer["total_in_parent"] = await state.count(kind, where=where)
    return respond(answer, 201)


async def _seed_parent(state: State, kind: str, asked: dict[str, str]) -> tuple[SeedParent | None, Record]:
    """The parent the new records go under: the one asked for (by id or name), else the documented default."""
    parents = current_runtime().contract.seed_parents.get(kind, [])
    # A parent the kind does not have is as missing as an unknown id: a 404, not a malformed request.
    if not parents:
        if asked:
            raise NotFoundError(f"{kind} records have no parent to choose; seed them without one")
        return None, {}
    by_name = {p.name: p for p in parents}
    if set(asked) - set(by_name):
        raise NotFoundError(f"{kind} records go under a {' or '.join(by_name)}")
    parent = by_name[next(iter(asked))] if asked else parents[0]
    wanted = asked.get(parent.name, parent.default)
    record = await parent.find(state, wanted)
    if record is None:
        raise NotFoundError(f"No {parent.name} {wanted!r} ({parent.kind}) to put {kind} records under")
    return parent, record


def _set(record: Record, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        # A copy: the varied record shares its nested objects with the stored template.
        record[key] = dict(record.get(key) or {})
        record = record[key]
    record[last] = value


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
