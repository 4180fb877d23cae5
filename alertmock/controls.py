"""Handlers of the control API (``alertmock/controls.yaml``, served under ``/__mock``)."""

from __future__ import annotations

import itertools
from typing import Any

from starlette.responses import Response

import alertmock
from alertmock.context import current_runtime, current_session, current_state
from alertmock.errors import BadRequestError, NotFoundError
from alertmock.faults import FaultRule
from alertmock.journal import Query
from alertmock.negotiation import respond


def _summary() -> dict[str, Any]:
    state = current_state()
    return {"session": current_session(), "kinds": {kind: state.count(kind) for kind in state.kinds()}}


async def get_health() -> Response:
    runtime = current_runtime()
    return respond(
        {
            "status": "ok",
            "version": alertmock.__version__,
            "operations": len(runtime.contract.operations),
            "fallback_operations": list(runtime.extras.get("fallback_operations", [])),
            "sessions": runtime.sessions.names(),
        }
    )


async def reset_state() -> Response:
    runtime, session = current_runtime(), current_session()
    runtime.sessions.reset(session)
    runtime.journal.clear(session)
    runtime.faults.clear(session)
    return respond(_summary())


async def export_state() -> Response:
    return respond({"session": current_session(), "collections": current_state().export()})


async def import_state(body: dict[str, Any]) -> Response:
    collections = body["collections"]
    for kind, records in collections.items():
        ids = [str(r["id"]) for r in records]
        if len(set(ids)) != len(ids):
            raise BadRequestError(f"duplicate ids in {kind}")
    current_state().load(collections)
    return respond(_summary())


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
    return respond({"requests": current_runtime().journal.entries(query)})


async def clear_requests() -> Response:
    current_runtime().journal.clear(current_session())
    return respond(None, 204)


async def get_faults() -> Response:
    rules = current_runtime().faults.get(current_session())
    return respond({"rules": [r.as_json() for r in rules]})


async def set_faults(body: dict[str, Any]) -> Response:
    rules = [FaultRule.from_json(rule) for rule in body["rules"]]
    current_runtime().faults.set(current_session(), rules)
    return respond({"rules": [r.as_json() for r in rules]})


async def clear_faults() -> Response:
    current_runtime().faults.clear(current_session())
    return respond(None, 204)


async def seed_records(body: dict[str, Any]) -> Response:
    kind, count = body["kind"], body["count"]
    state, generator = current_state(), current_runtime().generator
    templates = state.list(kind)
    if not templates:
        raise NotFoundError(f"No records of kind {kind!r} to model new ones on; kinds: {', '.join(state.kinds())}")
    for template in itertools.islice(itertools.cycle(templates), count):
        record = generator.vary(template)
        state.put(kind, str(record["id"]), record)
    return respond({"kind": kind, "created": count, "total": state.count(kind)}, 201)


async def get_clock() -> Response:
    return respond({"now": current_runtime().clock.now().isoformat().replace("+00:00", "Z")})


async def advance_clock(body: dict[str, Any]) -> Response:
    current_runtime().clock.advance(float(body["advance_seconds"]))
    return await get_clock()
