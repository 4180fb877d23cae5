"""The Redis backend (``--state redis://HOST:PORT/DB``): several processes, one mock.

Everything a client can observe lives in Redis, so any request may land on any process (workers
of one server, replicas behind a load balancer): every session's collections and indexes, the
sessions themselves (created from the fixtures, idle expiry, maximum count), tokens (they are
records), the simulated clock's offset, fault rules, the request journal. Each operation that
reads and then writes is one Lua script (alertmock/state/redis_scripts.lua), atomic on the server, caps
and eviction included; a request that may write holds its session's lock, so a handler's own
read-modify-write (get, change, put) is atomic across processes too.

Per request the cost is one script to open the session (it also brings the clock's offset and
the session's fault rules) plus a round trip per store call. One Redis, not a Redis Cluster (the
scripts touch keys they compute).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
import weakref
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import orjson
import redis.asyncio as redis

from alertmock.contract.generation import Generator
from alertmock.state.clock import Clock
from alertmock.state.faults import FaultRule, Faults
from alertmock.state.ids import Ids
from alertmock.state.journal import Entry, Journal, Query
from alertmock.state.store import (
    DEFAULT_SESSION,
    Record,
    Sessions,
    Snapshot,
    State,
    Where,
    where_field,
)

SCRIPTS = Path(__file__).with_name("redis_scripts.lua")
# How long a session's write lock outlives a process that died holding it.
LOCK_SECONDS = 5.0
_SESSIONS = "am:sessions"
_CLOCK = "am:clock"
_JOURNAL = "am:journal"


def is_redis_url(state: str) -> bool:
    return state.startswith(("redis://", "rediss://", "unix://"))


def _load_scripts() -> dict[str, str]:
    """Each "--@ name" section of the Lua file, with the helpers section in front."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in SCRIPTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("--@ "):
            current = sections.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    helpers = "\n".join(sections.pop("helpers"))
    return {name: helpers + "\n" + "\n".join(body) for name, body in sections.items()}


class _Scripts:
    def __init__(self, client: redis.Redis) -> None:
        self._scripts = {name: client.register_script(text) for name, text in _load_scripts().items()}

    async def __call__(self, name: str, *args: Any) -> Any:
        return await self._scripts[name](keys=[], args=list(args))


def _prefix(session: str) -> str:
    return f"am:s:{session}:"


class RedisState(State):
    """One request's view of a session (the middleware opens one per request). Records it has
    read or written are remembered for the rest of the request: a handler asks for the caller's
    user, then for the same user as an alert's owner, and each round trip counts."""

    __slots__ = ("_backend", "_prefix", "_seen")

    def __init__(self, backend: RedisSessions, session: str) -> None:
        self._backend = backend
        self._prefix = _prefix(session)
        self._seen: dict[tuple[str, str], Record | None] = {}

    async def get(self, kind: str, id: str) -> Record | None:
        key = (kind, id)
        if key in self._seen:
            return self._seen[key]
        raw = await self._backend.client.hget(f"{self._prefix}r:{kind}", id)
        record = None if raw is None else cast(Record, orjson.loads(raw))
        self._seen[key] = record
        return record

    async def list(
        self, kind: str, *, where: Where | None = None, offset: int = 0, limit: int | None = None
    ) -> list[Record]:
        field, value = where_field(where) if where is not None else ("", "")
        stop = -1 if limit is None else offset + limit - 1
        if limit == 0:
            return []
        raws = await self._backend.scripts("list", self._prefix, kind, field, value, offset, stop)
        records = [orjson.loads(raw) for raw in raws if raw is not None]
        for record in records:
            self._seen[(kind, str(record["id"]))] = record
        return records

    async def count(self, kind: str, *, where: Where | None = None) -> int:
        field, value = where_field(where) if where is not None else ("", "")
        return int(await self._backend.scripts("count", self._prefix, kind, field, value))

    async def put(self, kind: str, id: str, record: Record) -> Record:
        await self._backend.scripts("put", self._prefix, kind, id, orjson.dumps(record), self._backend.cap)
        # Not remembered: at the cap the put may have evicted records this request saw.
        self._seen.clear()
        return record

    async def delete(self, kind: str, id: str) -> Record | None:
        raw = await self._backend.scripts("delete", self._prefix, kind, id)
        self._seen.pop((kind, id), None)
        return None if raw is None else cast(Record, orjson.loads(raw))

    async def kinds(self) -> list[str]:
        return [kind.decode() for kind in await self._backend.client.zrange(f"{self._prefix}kinds", 0, -1)]

    async def export(self) -> Snapshot:
        flat = await self._backend.scripts("export", self._prefix)
        snapshot: Snapshot = {}
        i = 0
        while i < len(flat):
            kind, n = flat[i].decode(), int(flat[i + 1])
            snapshot[kind] = [orjson.loads(raw) for raw in flat[i + 2 : i + 2 + n]]
            i += 2 + n
        return snapshot

    async def load(self, snapshot: Mapping[str, list[Record]]) -> None:
        args: list[Any] = [self._prefix, self._backend.cap]
        for kind, records in snapshot.items():
            args += [kind, len(records)]
            for record in records:
                args += [str(record["id"]), orjson.dumps(record)]
        await self._backend.scripts("load", *args)
        self._seen.clear()


class RedisClock(Clock):
    """The simulated clock every process agrees on: the first process's origin and speed (kept in
    Redis), wall time between processes, and one shared offset moved by ``POST /__mock/clock``."""

    def __init__(self, local: Clock, client: redis.Redis) -> None:
        super().__init__(start=local.start, speed=local.speed)
        self._client = client
        self._wall = time.time()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=(time.time() - self._wall) * self.speed) + self._offset

    async def agree(self) -> None:
        mine = orjson.dumps({"origin": self._origin.timestamp(), "wall": self._wall, "speed": self.speed})
        await self._client.hsetnx(_CLOCK, "spec", mine)
        agreed = orjson.loads(await self._client.hget(_CLOCK, "spec"))
        self._origin = datetime.fromtimestamp(agreed["origin"], UTC)
        self._wall, self.speed = agreed["wall"], agreed["speed"]

    def observe(self, offset: float) -> None:
        self._offset = timedelta(seconds=offset)

    async def advance(self, seconds: float) -> None:
        self.observe(float(await self._client.incrbyfloat(f"{_CLOCK}:offset", seconds)))


class RedisFaults(Faults):
    """Rules in Redis per session; each process judges with the rules its last request of the
    session brought (the session's open script reads them)."""

    def __init__(self, client: redis.Redis, seed: int | None) -> None:
        super().__init__(seed)
        self._client = client
        self._seen: dict[str, bytes] = {}

    def observe(self, session: str, raw: bytes) -> None:
        if self._seen.get(session) == raw:
            return
        self._seen[session] = raw
        rules = [FaultRule.from_json(rule) for rule in orjson.loads(raw)] if raw else []
        if rules:
            self._rules[session] = rules
        else:
            self._rules.pop(session, None)

    async def set(self, session: str, rules: list[FaultRule]) -> None:
        raw = orjson.dumps([rule.as_json() for rule in rules])
        await self._client.set(f"{_prefix(session)}faults", raw)
        self.observe(session, raw)

    async def get(self, session: str) -> list[FaultRule]:
        raw = await self._client.get(f"{_prefix(session)}faults")
        self.observe(session, raw or b"")
        return list(self._rules.get(session, []))

    async def clear(self, session: str) -> None:
        await self._client.delete(f"{_prefix(session)}faults")
        self.observe(session, b"")


@dataclass(slots=True)
class _Stored:
    """A journal entry read back: what `Query` filters on, and the JSON it was recorded as."""

    id: int
    session: str
    method: str
    path: str
    status: int
    time: datetime
    data: dict[str, Any]


class RedisJournal(Journal):
    """One list in Redis for every process, bounded as the in-memory journal is; entries are
    stored as the JSON they are read as (formatted when recorded: Redis holds bytes)."""

    def __init__(self, client: redis.Redis, scripts: _Scripts, size: int) -> None:
        super().__init__(size)
        self._client = client
        self._scripts = scripts
        self._size = size

    async def record(self, entry: Entry) -> None:
        data = self.shown(entry)  # Redis holds what readers get: no credential in clear
        del data["id"]
        entry.id = int(await self._scripts("journal_record", orjson.dumps(data), self._size))

    async def entries(self, query: Query) -> list[dict[str, Any]]:
        stored = []
        for raw in await self._client.lrange(_JOURNAL, 0, -1):
            id, _, text = raw.partition(b" ")
            data = {"id": int(id), **orjson.loads(text)}
            when = datetime.fromisoformat(data["time"].replace("Z", "+00:00"))
            stored.append(
                _Stored(data["id"], data["session"], data["method"], data["path"], data["status"], when, data)
            )
        matching = [s for s in stored if query.matches(cast(Entry, s))]
        return [s.data for s in cast(list[_Stored], query.page(cast(list[Entry], matching)))]

    async def clear(self, session: str) -> int:
        return int(await self._scripts("journal_clear", session))


class RedisSessions(Sessions):
    """Sessions in Redis. Each process, on its first request, publishes the fixtures new sessions
    are made from, agrees on the clock, and (with ``--seed``) takes a worker number so that the
    ids it generates cannot collide with another process's."""

    def __init__(
        self,
        url: str,
        fixtures: Mapping[str, list[Record]],
        *,
        cap: int,
        max_sessions: int,
        idle_seconds: float,
        journal_size: int,
        clock: Clock,
        ids: Ids,
        generator: Generator,
        seed: int | None,
    ) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url)
        self.scripts = _Scripts(self.client)
        self.cap = cap
        self._fixtures = fixtures
        self._max_sessions = max_sessions
        self._idle_ms = int(idle_seconds * 1000)
        self.ids, self.generator, self._seed = ids, generator, seed
        self.clock = RedisClock(clock, self.client)
        self.faults = RedisFaults(self.client, seed)
        self.journal = RedisJournal(self.client, self.scripts, journal_size)
        self._started = False
        self._starting = asyncio.Lock()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def _start(self) -> None:
        async with self._starting:
            if self._started:
                return
            async with self.client.pipeline(transaction=True) as publish:
                old = [kind.decode() for kind in await self.client.lrange("am:fx:kinds", 0, -1)]
                publish.delete("am:fx:kinds", *(f"am:fx:{kind}" for kind in old))
                for kind, records in self._fixtures.items():
                    publish.rpush("am:fx:kinds", kind)
                    flat = [part for r in records for part in (str(r["id"]), orjson.dumps(r))]
                    if flat:
                        publish.rpush(f"am:fx:{kind}", *flat)
                await publish.execute()
            await self.clock.agree()
            if self._seed is not None:
                worker = await self.client.incr("am:workers")
                self.ids.reseed(f"{self._seed}:{worker}")
                self.generator.reseed(f"{self._seed}:{worker}")
            self._started = True

    async def open(self, name: str = DEFAULT_SESSION) -> RedisState:
        if not self._started:
            await self._start()
        now_ms = int(time.time() * 1000)
        _, offset, faults = await self.scripts(
            "open", name, now_ms, self._idle_ms, self._max_sessions, self.cap, DEFAULT_SESSION
        )
        self.clock.observe(float(offset))
        self.faults.observe(name, faults)
        return RedisState(self, name)

    async def reset(self, name: str = DEFAULT_SESSION) -> RedisState:
        await self.scripts("reset", name, int(time.time() * 1000), self.cap)
        return RedisState(self, name)

    async def names(self) -> list[str]:
        return [name.decode() for name in await self.client.zrange(_SESSIONS, 0, -1)]

    def writing(self, name: str) -> AbstractAsyncContextManager[None]:
        return self._locked(name)

    @contextlib.asynccontextmanager
    async def _locked(self, name: str) -> AsyncIterator[None]:
        # Requests of this process queue on a local lock, so only one per process polls Redis.
        local = self._locks.get(name)
        if local is None:
            local = self._locks[name] = asyncio.Lock()
        async with local:
            key, token = f"{_prefix(name)}lock", secrets.token_hex(8)
            pause = 0.0005
            while not await self.client.set(key, token, nx=True, px=int(LOCK_SECONDS * 1000)):
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.01)
            try:
                yield
            finally:
                await self.scripts("unlock", key, token)

    async def close(self) -> None:
        await self.client.aclose()
