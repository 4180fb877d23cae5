"""The Redis backend (``--state redis://HOST:PORT/DB``): several processes, one mock.

Everything a client can observe lives in Redis, so any request may land on any process (workers
of one server, replicas behind a load balancer): every session's collections and indexes, the
sessions themselves (created from the fixtures, idle expiry, maximum count), tokens (they are
records), the simulated clock's offset, fault rules, the request journal. Each operation that
reads and then writes is one Lua script (alertmock/state/redis_scripts.lua), atomic on the
server, caps and eviction included; a request's own read-modify-write (get, change, put) is
atomic across processes too (below).

Round trips, each waited for in sequence, are what a request costs here. Per request: one script
opens the session (it brings the clock's offset, the fault rules, the session's epoch and, when
the session was written since, its kinds' versions, and carries the journal entries this process
recorded since its last script); reads are answered from the process's cache while their kind is
unchanged (alertmock/state/redis_cache.py), else one script each (a list brings its total too).
A request that may write is optimistic: its writes wait for its answer to start and go in one
script that applies them only if every kind it read is unchanged and nobody holds the session's
lock; otherwise nothing is written and the request runs again holding that lock (writes then go
straight to Redis). A process hands the lock from one of its requests to the next (no round
trip) for a short while before letting another process have it. Scripts sent in one turn of the
event loop go as one pipeline (alertmock/state/redis_pipeline.py), as functions of one library;
a connection that reaches another Redis server than before (restarted, restored from an older
RDB) empties the process's cache first. The journal is batched:
entries go with the next script the process sends anyway, or after `JOURNAL_FLUSH_SECONDS`;
reading it waits that long for every process's entries.

Redis going away is answered, not crashed on: every call that cannot reach it raises
`StoreUnavailableError` (a 503 in the vendor's error form, alertmock/state/store_outage.py), logged
once when the store goes and once when it returns; redis-py reconnects on the next call. A
store that comes back empty (restarted without persistence, flushed) gets the fixtures published
again by the first process to notice, and each session is re-created from them by the one script
that opens it, so exactly once whatever the number of processes. One Redis, not a Redis Cluster
(the scripts touch keys they compute).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Hashable, Mapping
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

import orjson
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from alertmock.bounded_cache import BoundedCache
from alertmock.contract.generation import Generator
from alertmock.state.clock import Clock
from alertmock.state.faults import FaultRule, Faults
from alertmock.state.ids import Ids
from alertmock.state.journal import MAX_BODY_CHARS, Entry, Exchange, Journal, Query, exchange_of
from alertmock.state.redis_cache import MAX_SESSIONS, MISSING, Caches, SessionCache
from alertmock.state.redis_pipeline import Library, Pipelined
from alertmock.state.store import (
    DEFAULT_SESSION,
    Record,
    RetryHoldingLock,
    Sessions,
    Snapshot,
    State,
    Where,
    where_field,
)
from alertmock.state.store_outage import Outage, StoreUnavailableError

logger = logging.getLogger("alertmock.state")

SCRIPTS = Path(__file__).with_name("redis_scripts.lua")
# How long a session's write lock outlives a process that died holding it.
LOCK_SECONDS = 5.0
_LOCK_MS = int(LOCK_SECONDS * 1000)
# A process hands its session lock from one of its write requests to the next (no round trip)
# at most this many times or this long, then lets other processes have it.
HANDOFFS = 32
HANDOFF_SECONDS = 0.25
# Journal entries wait at most this long for a script to ride with before going on their own.
JOURNAL_FLUSH_SECONDS = 0.02
# Exchanges whose shown form a repeat of them reuses (RedisJournal._formatted).
EXCHANGES_KEPT = 32
# Connection refused is immediate; an unreachable host is given this long.
CONNECT_TIMEOUT_SECONDS = 1.0
COMMAND_TIMEOUT_SECONDS = 5.0
# What the store's fault is, answered 503 while it lasts: unreachable (connection, timeout), and
# reachable but refusing (OOM under maxmemory, MISCONF, a read-only replica, NOPERM, BUSY).
_UNREACHABLE = (RedisError, OSError, TimeoutError)
_SESSIONS = "am:sessions"
_CLOCK = "am:clock"
T = TypeVar("T")


def is_redis_url(state: str) -> bool:
    return state.startswith(("redis://", "rediss://", "unix://"))


def load_library() -> Library:
    """Each "--@ name" section of the Lua file a script, sharing the "helpers" section."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in SCRIPTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("--@ "):
            current = sections.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    helpers = "\n".join(sections.pop("helpers"))
    return Library(helpers, {name: "\n".join(body) for name, body in sections.items()})


class _Scripts:
    """The scripts, and the one place every call to Redis goes through (`guard`): what cannot
    reach the store becomes a `StoreUnavailableError`."""

    def __init__(self, pipelined: Pipelined, outage: Outage) -> None:
        self._outage = outage
        self.pipelined = pipelined

    async def __call__(self, name: str, *args: Any) -> Any:
        return await self.guard(self.pipelined(name, args))

    async def guard(self, call: Awaitable[T]) -> T:
        try:
            answer = await call
        except _UNREACHABLE as error:
            raise self._outage.failed(error) from None
        if self._outage.down:
            self._outage.answered()
        return answer


def _prefix(session: str) -> str:
    return f"am:s:{session}:"


# The state the current request opened (the middleware opens, then holds `writing`, in one task).
_OPENED: ContextVar[RedisState | None] = ContextVar("alertmock_redis_opened", default=None)


class RedisState(State):
    """One request's view of a session (the middleware opens one per request): the session's
    epoch and kinds' versions as the open (or the lock) read them, against which the process's
    cache answers reads of unchanged kinds.

    Opened for a request that may write, it is optimistic until the request holds the session's
    lock: it notes the version of every kind it reads, holds its writes (reading them back
    itself), and `settle` sends them in one script that applies them only if none of those kinds
    changed meanwhile; if one did, nothing is written and the request runs again holding the
    lock (`RetryHoldingLock`). A request that reads a list or count of a kind it has written, or
    reads a kind at two versions, goes the locked way at once."""

    __slots__ = ("_backend", "_prefix", "_read", "_writes", "cache", "name", "optimistic", "versions")

    def __init__(
        self, backend: RedisSessions, name: str, epoch: bytes, versions: dict[str, int], optimistic: bool = False
    ) -> None:
        self._backend = backend
        self.name = name
        self._prefix = _prefix(name)
        self.cache: SessionCache = backend.caches.at(name, epoch)
        self.versions = versions
        self.optimistic = optimistic
        self._read: dict[str, int] = {}
        # (kind, id) -> the record written (None: deleted), in the order written.
        self._writes: dict[tuple[str, str], Record | None] = {}

    def adopt(self, epoch: bytes, versions: dict[str, int]) -> None:
        self.cache = self._backend.caches.at(self.name, epoch)
        self.versions = versions

    def locked(self) -> None:
        """The request holds the session's lock now: reads and writes go straight to Redis."""
        self.optimistic = False
        self._read.clear()
        self._writes.clear()

    def _read_at(self, kind: str, version: int) -> None:
        # A read that found the kind newer than the open did (another process wrote since):
        # the rest of this request reads at the newer version.
        if version > self.versions.get(kind, 0):
            self.versions[kind] = version
        if self.optimistic:
            self._noted(kind, version)

    def _noted(self, kind: str, version: int) -> None:
        if kind not in self._read and self._backend.lock_held(self.name):
            # This process's requests are queued on the session's lock: a commit now would be
            # refused (the lock is held), so go and queue at once instead of trying.
            raise RetryHoldingLock
        seen = self._read.setdefault(kind, version)
        if seen != version:
            raise RetryHoldingLock  # two reads of one kind disagree: not one state of the session

    def _cached(self, kind: str, key: Hashable) -> Any:
        """The process's cached answer for `key` (`SessionCache.answer`) at the version of the
        kind this request reads, noted as read if found; else MISSING."""
        version = self.versions.get(kind, 0)
        cached = self.cache.answer(kind, version, key)
        if cached is not MISSING and self.optimistic:
            self._noted(kind, version)
        return cached

    def _fetched(self, kind: str, version: int, answers: dict[Hashable, Any]) -> None:
        """What a script read of the kind, at the version it read it."""
        self._read_at(kind, version)
        for key, answer in answers.items():
            self.cache.keep(kind, version, key, answer)

    async def get(self, kind: str, id: str) -> Record | None:
        if self.optimistic:
            written = self._writes.get((kind, id), MISSING)
            if written is not MISSING:
                return cast(Record | None, written)
        cached = self._cached(kind, id)
        if cached is not MISSING:
            return cast(Record | None, cached)
        version, raw = await self._backend.scripts("get", self._prefix, kind, id)
        record = None if raw is None else cast(Record, orjson.loads(raw))
        self._fetched(kind, version, {id: record})
        return record

    def _whole_kind(self, kind: str, where: Where | None) -> tuple[str, str]:
        if self.optimistic and any(written == kind for written, _ in self._writes):
            raise RetryHoldingLock  # a list of what this request has written: read it under the lock
        return where_field(where) if where is not None else ("", "")

    async def list(
        self, kind: str, *, where: Where | None = None, offset: int = 0, limit: int | None = None
    ) -> list[Record]:
        field, value = self._whole_kind(kind, where)
        if limit == 0:
            return []
        stop = -1 if limit is None else offset + limit - 1
        key = ("l", field, value, offset, stop)
        cached = self._cached(kind, key)
        if cached is not MISSING:
            return list(cached)
        version, total, *raws = await self._backend.scripts("list", self._prefix, kind, field, value, offset, stop)
        records = [orjson.loads(raw) for raw in raws if raw is not None]
        self._fetched(kind, version, {key: records, ("c", field, value): int(total)})
        return list(records)

    async def count(self, kind: str, *, where: Where | None = None) -> int:
        field, value = self._whole_kind(kind, where)
        key = ("c", field, value)
        cached = self._cached(kind, key)
        if cached is not MISSING:
            return int(cached)
        version, total = await self._backend.scripts("count", self._prefix, kind, field, value)
        self._fetched(kind, version, {key: int(total)})
        return int(total)

    async def put(self, kind: str, id: str, record: Record) -> Record:
        if self.optimistic:
            self._writes.pop((kind, id), None)  # in the order of the last write of each record
            self._writes[(kind, id)] = record
            return record
        version, evicted = await self._backend.scripts(
            "put", self._prefix, kind, id, orjson.dumps(record), self._backend.cap
        )
        self.versions[kind] = version
        self.cache.wrote(kind, version, id, record, only_that=not evicted)
        return record

    async def delete(self, kind: str, id: str) -> Record | None:
        if self.optimistic:
            old = await self.get(kind, id)
            self._writes.pop((kind, id), None)
            self._writes[(kind, id)] = None
            return old
        version, raw = await self._backend.scripts("delete", self._prefix, kind, id)
        self.versions[kind] = version
        self.cache.wrote(kind, version, id, None, only_that=True)
        return None if raw is None else cast(Record, orjson.loads(raw))

    async def settle(self) -> None:
        if not self._writes:
            return
        writes, self._writes = self._writes, {}
        args: list[Any] = [self._prefix, self._backend.cap, self.cache.epoch, len(self._read)]
        for kind, version in self._read.items():
            args += [kind, version]
        for (kind, id), record in writes.items():
            args += ["d", kind, id, ""] if record is None else ["p", kind, id, orjson.dumps(record)]
        applied = await self._backend.scripts("commit", *args)
        if applied[0] == 0:
            raise RetryHoldingLock
        for ((kind, id), record), version, evicted in zip(writes.items(), applied[1::2], applied[2::2], strict=True):
            self.versions[kind] = version
            self.cache.wrote(kind, version, id, record, only_that=not evicted)

    async def kinds(self) -> list[str]:
        if self.optimistic and self._writes:
            raise RetryHoldingLock
        raw = await self._backend.scripts.guard(self._backend.client.zrange(f"{self._prefix}kinds", 0, -1))
        return [kind.decode() for kind in raw]

    async def export(self) -> Snapshot:
        if self.optimistic and self._writes:
            raise RetryHoldingLock
        flat = await self._backend.scripts("export", self._prefix)
        snapshot: Snapshot = {}
        i = 0
        while i < len(flat):
            kind, n = flat[i].decode(), int(flat[i + 1])
            snapshot[kind] = [orjson.loads(raw) for raw in flat[i + 2 : i + 2 + n]]
            i += 2 + n
        return snapshot

    async def load(self, snapshot: Mapping[str, list[Record]]) -> None:
        if self.optimistic:
            raise RetryHoldingLock
        epoch = self._backend.new_epoch()
        args: list[Any] = [self._prefix, self._backend.cap, epoch]
        for kind, records in snapshot.items():
            args += [kind, len(records)]
            for record in records:
                args += [str(record["id"]), orjson.dumps(record)]
        await self._backend.scripts("load", *args)
        self.adopt(epoch.encode(), {})


class RedisClock(Clock):
    """The simulated clock every process agrees on: the first process's origin and speed (kept in
    Redis), wall time between processes, and one shared offset moved by ``POST /__mock/clock``."""

    def __init__(self, local: Clock, scripts: _Scripts, client: redis.Redis) -> None:
        super().__init__(start=local.start, speed=local.speed)
        self._scripts = scripts
        self._client = client
        self._wall = time.time()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=(time.time() - self._wall) * self.speed) + self._offset

    def spec(self) -> bytes:
        """This process's origin and speed, offered to the others (the first one offered is kept)."""
        return orjson.dumps({"origin": self._origin.timestamp(), "wall": self._wall, "speed": self.speed})

    def adopt(self, spec: bytes) -> None:
        agreed = orjson.loads(spec)
        self._origin = datetime.fromtimestamp(agreed["origin"], UTC)
        self._wall, self.speed = agreed["wall"], agreed["speed"]

    def observe(self, offset: float) -> None:
        self._offset = timedelta(seconds=offset)

    async def advance(self, seconds: float) -> None:
        self.observe(float(await self._scripts.guard(self._client.incrbyfloat(f"{_CLOCK}:offset", seconds))))


class RedisFaults(Faults):
    """Rules in Redis per session; each process judges with the rules its last request of the
    session brought (the session's open script reads them)."""

    def __init__(self, scripts: _Scripts, client: redis.Redis, seed: int | None) -> None:
        super().__init__(seed)
        self._scripts = scripts
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
        await self._scripts.guard(self._client.set(f"{_prefix(session)}faults", raw))
        self.observe(session, raw)

    async def get(self, session: str) -> list[FaultRule]:
        raw = await self._scripts.guard(self._client.get(f"{_prefix(session)}faults"))
        self.observe(session, raw or b"")
        return list(self._rules.get(session, []))

    async def clear(self, session: str) -> None:
        await self._scripts.guard(self._client.delete(f"{_prefix(session)}faults"))
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
    stored as the JSON they are read as (formatted when recorded: Redis holds bytes).

    Recording sends nothing: entries wait in the process, bounded, for the next script it sends
    anyway (a session's open, a lock's release) or `JOURNAL_FLUSH_SECONDS`, whichever comes
    first, and are kept while the store is unreachable. Reading first sends this process's and
    waits as long for the others' to arrive."""

    def __init__(self, client: redis.Redis, scripts: _Scripts, size: int) -> None:
        super().__init__(size)
        self._client = client
        self._scripts = scripts
        self.size = size
        self._pending: list[bytes] = []
        # Exchanges recently shown, by what they are made of (each holds its bodies: kept small).
        self._exchanges: BoundedCache[Hashable, Exchange] = BoundedCache(EXCHANGES_KEPT)
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task[None]] = set()

    async def record(self, entry: Entry) -> None:
        self._pending.append(self._formatted(entry))
        if len(self._pending) > self.size:
            del self._pending[: len(self._pending) - self.size]
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(JOURNAL_FLUSH_SECONDS, self._flush_soon)

    def _formatted(self, entry: Entry) -> bytes:
        """The entry as Redis holds it: what readers get, no credential in clear. Showing an
        exchange (its headers as an object, its bodies as text, redacted) is most of what
        recording costs, and a client polling or re-listing repeats its exchange exactly: the
        last few shown are kept by what they are made of, and a repeat reuses its part."""
        try:
            key = entry.exchange_key()
        except TypeError:
            key = None
        exchange = None if key is None else self._exchanges.get(key)
        data = self.shown(entry, exchange)
        if exchange is None and key is not None and len(entry.body) + len(entry.response_body) <= MAX_BODY_CHARS:
            self._exchanges.put(key, exchange_of(data))
        del data["id"]
        return orjson.dumps(data)

    def take(self) -> list[bytes]:
        """The entries waiting, for a script about to be sent (give them back if it fails)."""
        pending, self._pending = self._pending, []
        return pending

    def give_back(self, entries: list[bytes]) -> None:
        self._pending[:0] = entries
        if len(self._pending) > self.size:
            del self._pending[: len(self._pending) - self.size]

    def _flush_soon(self) -> None:
        self._timer = None
        if self._pending:
            task = asyncio.get_running_loop().create_task(self.flush())
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def flush(self) -> None:
        entries = self.take()
        if not entries:
            return
        try:
            await self._scripts("journal_record", self.size, *entries)
        except StoreUnavailableError:
            self.give_back(entries)  # sent with the first script that gets through

    async def entries(self, query: Query) -> list[dict[str, Any]]:
        await self.flush()
        await asyncio.sleep(2 * JOURNAL_FLUSH_SECONDS)
        stored = []
        ids, raws = await self._scripts("journal_read")
        for id, raw in zip(ids, raws, strict=True):
            data = {"id": int(id), **orjson.loads(raw)}
            when = datetime.fromisoformat(data["time"].replace("Z", "+00:00"))
            stored.append(
                _Stored(data["id"], data["session"], data["method"], data["path"], data["status"], when, data)
            )
        matching = [s for s in stored if query.matches(cast(Entry, s))]
        return [s.data for s in cast(list[_Stored], query.page(cast(list[Entry], matching)))]

    async def clear(self, session: str) -> int:
        await self.flush()
        return int(await self._scripts("journal_clear", session))


class _Holding:
    """One session's write lock as this process sees it: whether one of its requests holds the
    Redis lock (and with which token), the requests queued behind it, and what the holder knows
    of the session (epoch, versions), handed over with the lock."""

    __slots__ = ("epoch", "handoffs", "held", "since", "token", "versions", "waiters")

    def __init__(self) -> None:
        self.held = False
        self.token = ""
        self.since = 0.0
        self.handoffs = 0
        self.epoch = b""
        self.versions: dict[str, int] = {}
        self.waiters: deque[asyncio.Future[bool]] = deque()

    def wake(self, handed: bool) -> bool:
        """The next waiter still waiting: handed the lock (True) or told to take it (False)."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(handed)
                return True
        return False


class RedisSessions(Sessions):
    """Sessions in Redis. Each process, on its first request, publishes the fixtures new sessions
    are made from, agrees on the clock, and (with ``--seed``) takes a worker number so that the
    ids it generates cannot collide with another process's."""

    optimistic = True

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
        # One quick retry (a connection the server closed when it restarted), then a 503.
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 1),
        )
        self.outage = Outage(url.rsplit("@", 1)[-1])
        pipelined = Pipelined(
            url,
            load_library(),
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            command_timeout=COMMAND_TIMEOUT_SECONDS,
            on_new_server=self._new_server,
        )
        self.scripts = _Scripts(pipelined, self.outage)
        self.cap = cap
        self._fixtures = fixtures
        self._max_sessions = max_sessions
        self._idle_ms = int(idle_seconds * 1000)
        self.ids, self.generator, self._seed = ids, generator, seed
        self.clock = RedisClock(clock, self.scripts, self.client)
        self.faults = RedisFaults(self.scripts, self.client, seed)
        self.journal = RedisJournal(self.client, self.scripts, journal_size)
        self.caches = Caches()
        self._epochs = itertools.count(1)
        self._process = secrets.token_hex(6)
        self._started = False
        self._starting = asyncio.Lock()
        self._holdings: dict[str, _Holding] = {}
        # Per session, the last "epoch/writes" a script answered and the kinds' versions it meant.
        self._parsed: dict[str, tuple[bytes, dict[str, int]]] = {}

    def _new_server(self) -> None:
        """The scripts' connection reached another Redis server than before (restarted, restored
        from an older RDB, failed over): its sessions may hold other records at the epochs and
        versions this process cached under, so nothing cached is trusted again."""
        logger.warning(
            "state store %s is another Redis server than before: this process's cache is emptied", self.outage.where
        )
        self.caches.forget()
        self._parsed.clear()

    def lock_held(self, name: str) -> bool:
        holding = self._holdings.get(name)
        return holding is not None and holding.held

    def new_epoch(self) -> str:
        return f"{self._process}:{next(self._epochs)}"

    async def _publish(self) -> None:
        """The fixtures new sessions are made from, and this process's clock if none is agreed."""
        args: list[Any] = [self.clock.spec()]
        for kind, records in self._fixtures.items():
            args += [kind, len(records)]
            args += [part for r in records for part in (str(r["id"]), orjson.dumps(r))]
        self.clock.adopt(await self.scripts("publish", *args))

    async def _start(self) -> None:
        async with self._starting:
            if self._started:
                return
            await self._publish()
            if self._seed is not None:
                worker = await self.scripts.guard(self.client.incr("am:workers"))
                self.ids.reseed(f"{self._seed}:{worker}")
                self.generator.reseed(f"{self._seed}:{worker}")
            self._started = True

    async def open(self, name: str = DEFAULT_SESSION, *, writing: bool = False) -> RedisState:
        if not self._started:
            await self._start()
        entries = self.journal.take()
        try:
            opened = await self._open(name, entries)
            if opened[0] == -1:
                # The store lost everything (restarted empty, flushed): publish the fixtures again
                # and open; the script creates the session once, whichever process gets there first.
                await self._publish()
                opened = await self._open(name, [])
        except StoreUnavailableError:
            self.journal.give_back(entries)
            raise
        created, offset, faults, flat = opened
        if created == 1 and name == DEFAULT_SESSION and self.caches.known(name):
            logger.warning(
                "state store had lost session %r (Redis restarted empty or flushed): re-created from the fixtures"
                " (what it held, including what --state-file loaded at start-up, is gone)",
                name,
            )
        self.clock.observe(float(offset))
        self.faults.observe(name, faults)
        epoch, versions = await self._versions(name, flat)
        state = RedisState(self, name, epoch, versions, optimistic=writing)
        _OPENED.set(state)
        return state

    async def _open(self, name: str, entries: list[bytes]) -> list[Any]:
        return cast(
            list[Any],
            await self.scripts(
                "open",
                name,
                int(time.time() * 1000),
                self._idle_ms,
                self._max_sessions,
                self.cap,
                DEFAULT_SESSION,
                self.new_epoch(),
                self._parsed.get(name, (b"",))[0],
                self.journal.size,
                *entries,
            ),
        )

    async def _versions(self, name: str, reply: list[Any]) -> tuple[bytes, dict[str, int]]:
        """The epoch and kinds' versions a script returned: {epoch, writes, "kind version ..."},
        the last part left out when the caller said it knew this epoch and write count."""
        epoch, writes, flat = reply
        key = epoch + b"/" + writes
        if flat is None:
            known = self._parsed.get(name)
            if known is not None and known[0] == key:
                return epoch, dict(known[1])
            epoch, writes, flat = await self.scripts("versions", _prefix(name))
            key = epoch + b"/" + writes
        # Parsed after every write of the session (each one changes the write count): kinds
        # by pairs, without the session's count (the field "", the empty first word).
        pairs = iter(flat.split(b" "))
        versions = {kind.decode(): int(version) for kind, version in zip(pairs, pairs, strict=False) if kind}
        if len(self._parsed) >= MAX_SESSIONS:
            self._parsed.clear()
        self._parsed[name] = (key, versions)
        return epoch, dict(versions)

    async def reset(self, name: str = DEFAULT_SESSION) -> RedisState:
        epoch = self.new_epoch()
        await self.scripts("reset", name, int(time.time() * 1000), self.cap, epoch)
        opened = _OPENED.get()
        if opened is not None and opened.name == name:
            opened.adopt(epoch.encode(), {})  # what a lock handover passes on
        return RedisState(self, name, epoch.encode(), {})

    async def names(self) -> list[str]:
        return [name.decode() for name in await self.scripts.guard(self.client.zrange(_SESSIONS, 0, -1))]

    def writing(self, name: str) -> AbstractAsyncContextManager[None]:
        return self._locked(name)

    @contextlib.asynccontextmanager
    async def _locked(self, name: str) -> AsyncIterator[None]:
        state = _OPENED.get()
        if state is None or state.name != name:
            state = RedisState(self, name, b"", {})  # a caller outside a request: reads uncached
        holding = self._holdings.get(name)
        if holding is None:
            holding = self._holdings[name] = _Holding()
        state.locked()
        if holding.held:
            waiter = asyncio.get_running_loop().create_future()
            holding.waiters.append(waiter)
            try:
                handed = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.result():
                    await self._release(name, holding, state)
                raise
            if handed:
                state.adopt(holding.epoch, dict(holding.versions))
            else:
                await self._acquire(name, holding, state)
        else:
            await self._acquire(name, holding, state)
        try:
            yield
        finally:
            await self._release(name, holding, state)

    async def _acquire(self, name: str, holding: _Holding, state: RedisState) -> None:
        # Marked held while polling: this process's other write requests queue behind this one
        # instead of polling Redis too.
        holding.held = True
        token, pause = secrets.token_hex(8), 0.0005
        try:
            while True:
                taken = await self.scripts("lock", _prefix(name), token, _LOCK_MS, self._parsed.get(name, (b"",))[0])
                if taken[0] == 1:
                    break
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.004)
        except BaseException:
            holding.held = False
            holding.wake(False)
            raise
        holding.token, holding.since, holding.handoffs = token, time.monotonic(), 0
        state.adopt(*await self._versions(name, taken[1]))

    async def _release(self, name: str, holding: _Holding, state: RedisState) -> None:
        # What the holder knows is exact: nobody else wrote the session while it held the lock.
        holding.epoch, holding.versions = state.cache.epoch, state.versions
        fresh = holding.handoffs < HANDOFFS and time.monotonic() - holding.since < HANDOFF_SECONDS
        if fresh and holding.wake(True):
            holding.handoffs += 1
            return
        token, holding.held, holding.token = holding.token, False, ""
        entries = self.journal.take()
        try:
            await self.scripts("unlock", f"{_prefix(name)}lock", token, self.journal.size, *entries)
        except StoreUnavailableError:
            # The answer is out already; the lock expires by itself.
            self.journal.give_back(entries)
        finally:
            holding.wake(False)

    async def first_to(self, what: str) -> bool:
        # Kept as long as Redis keeps the state it guards: a wiped store forgets both.
        return bool(await self.scripts.guard(self.client.set(f"am:once:{what}", 1, nx=True)))

    async def close(self) -> None:
        with contextlib.suppress(StoreUnavailableError):
            await self.journal.flush()  # what this process recorded in its last milliseconds
        self.scripts.pipelined.close()
        await self.client.aclose()
