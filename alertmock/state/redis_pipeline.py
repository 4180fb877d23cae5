"""Scripts called in the same turn of the event loop, sent to Redis together on one connection.

Every request sends a script or two, and under load many requests open their session, read or
write at the same moment. redis-py's asyncio pipeline cost this process about 60 µs of CPU per
script on the 2-core bench machine (an encoder call per argument, a timeout context per reply,
a connection taken from its pool and given back per batch), more than Redis spent running it.
Here a script costs about 12 µs: its command packed by hiredis in one call, the turn's commands
written in one system call on a connection of the process's own, the replies parsed by one
hiredis reader as they arrive and handed to their callers in order. Each call still waits for
its own answer and still counts as one command. Everything but the scripts (the control API's
few commands) goes through redis-py.

The connection is made on first use and again after it broke. Each new connection asks the
server for its ``run_id`` first: another one than before (Redis restarted, restored from an
older RDB, failed over) means what the process cached from the old server may be wrong, and
`on_new_server` is called before any reply from the new server is handed out.

Errors are redis-py's exceptions, so callers handle both alike: a refusal (OOM, READONLY,
NOPERM, ...) is its `ResponseError` subclass, a connection that cannot be made or breaks a
`ConnectionError`, an answer that does not come within `command_timeout` a `TimeoutError`
(and the connection is dropped: replies on it would no longer match their callers).
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import hiredis
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection, parse_url
from redis.exceptions import (
    AuthenticationError,
    BusyLoadingError,
    ConnectionError,
    InvalidResponse,
    NoPermissionError,
    NoScriptError,
    OutOfMemoryError,
    ReadOnlyError,
    RedisError,
    ResponseError,
    TimeoutError,
)

# The error replies callers tell apart (as redis-py names them); any other is a ResponseError.
_ERRORS: dict[str, type[Exception]] = {
    "NOSCRIPT": NoScriptError,
    "OOM": OutOfMemoryError,
    "READONLY": ReadOnlyError,
    "NOPERM": NoPermissionError,
    "LOADING": BusyLoadingError,
    "NOAUTH": AuthenticationError,
    "WRONGPASS": AuthenticationError,
}
# What a URL may say besides where Redis is: anything else (redis-py's pool and socket options)
# has no meaning for this connection, and is refused rather than silently ignored.
_TLS_OPTIONS = {"ssl_cert_reqs", "ssl_ca_certs", "ssl_certfile", "ssl_keyfile", "ssl_check_hostname"}
_KNOWN_OPTIONS = {"host", "port", "path", "db", "username", "password", "connection_class", *_TLS_OPTIONS}


def _reply_error(message: str) -> Exception:
    return _ERRORS.get(message.split(" ", 1)[0], ResponseError)(message)


@dataclass(frozen=True)
class Endpoint:
    """Where the scripts' connection goes, from a ``redis://``, ``rediss://`` or ``unix://`` URL."""

    host: str
    port: int
    path: str | None
    db: int
    username: str | None
    password: str | None
    tls: ssl.SSLContext | None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Raises ValueError for a URL redis-py cannot read or an option this connection lacks."""
        options = parse_url(url)
        unknown = sorted(set(options) - _KNOWN_OPTIONS)
        if unknown:
            raise ValueError(f"URL option(s) not supported for the mock's state store: {', '.join(unknown)}")
        connection_class = options.get("connection_class")
        tls = None
        if connection_class is SSLConnection:
            tls = ssl.create_default_context(cafile=options.get("ssl_ca_certs"))
            if options.get("ssl_certfile"):
                tls.load_cert_chain(options["ssl_certfile"], options.get("ssl_keyfile"))
            if str(options.get("ssl_cert_reqs", "required")).lower() in ("none", "cert_none"):
                tls.check_hostname = False
                tls.verify_mode = ssl.CERT_NONE
            elif options.get("ssl_check_hostname") is False:
                tls.check_hostname = False
        elif set(options) & _TLS_OPTIONS:
            raise ValueError("ssl_* URL options need a rediss:// URL")
        return cls(
            host=options.get("host", "localhost"),
            port=int(options.get("port", 6379)),
            path=options.get("path") if connection_class is UnixDomainSocketConnection else None,
            db=int(options.get("db", 0)),
            username=options.get("username"),
            password=options.get("password"),
            tls=tls,
        )

    def __str__(self) -> str:
        return self.path or f"{self.host}:{self.port}"


class Script:
    """One of the library's scripts: a function of it (``FCALL``), or where the server has no
    functions (Redis before 7, an ACL without them) the helpers and its body as one script,
    sent by its SHA1 once the server knows it."""

    __slots__ = ("function", "sha", "text")

    def __init__(self, function: str, text: str) -> None:
        self.function = function
        self.text = text
        self.sha = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class Library:
    """Lua scripts that share helper functions, as one Redis function library.

    A script sent with EVAL or EVALSHA defines every helper again each time it runs (about
    0.6 µs of Redis's time per function defined, 16 µs for the backend's helpers: more than most
    scripts' own work); a library defines them once, when loaded. Its name and its functions'
    names carry a digest of its text, so processes of different versions sharing one Redis each
    call their own."""

    def __init__(self, helpers: str, bodies: dict[str, str]) -> None:
        digest = hashlib.sha1(usedforsecurity=False)
        for part in (helpers, *(f"{name}\0{body}" for name, body in sorted(bodies.items()))):
            digest.update(part.encode())
        version = digest.hexdigest()[:12]
        self.name = f"alertmock_{version}"
        registered = "".join(
            f"\nredis.register_function('am_{version}_{name}', function(KEYS, ARGV)\n{body}\nend)\n"
            for name, body in bodies.items()
        )
        self.text = f"#!lua name={self.name}\n{helpers}\n{registered}"
        self.scripts = {name: Script(f"am_{version}_{name}", f"{helpers}\n{body}") for name, body in bodies.items()}


class _Connection(asyncio.Protocol):
    """One connection's replies, matched in order to the callers waiting for them."""

    def __init__(self, command_timeout: float) -> None:
        self._timeout = command_timeout
        self._reader = hiredis.Reader(replyError=_reply_error, protocolError=InvalidResponse)
        # (caller, when its command was sent), oldest first: replies come in that order.
        self._waiting: deque[tuple[asyncio.Future[Any], float]] = deque()
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self.closed = False
        # Whether the server has the library's functions (else its scripts go by EVALSHA).
        self.functions = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def send(self, commands: list[bytes], callers: list[asyncio.Future[Any]]) -> None:
        if self.closed or self._transport is None:
            _fail(callers, ConnectionError("Connection to Redis closed"))
            return
        self._transport.write(commands[0] if len(commands) == 1 else b"".join(commands))
        loop = asyncio.get_running_loop()
        sent = loop.time()
        self._waiting.extend((caller, sent) for caller in callers)
        if self._timer is None:
            self._timer = loop.call_at(sent + self._timeout, self._check)

    def command(self, command: tuple[Any, ...]) -> asyncio.Future[Any]:
        """One command sent at once (the connection's own, before it serves anyone)."""
        caller: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.send([hiredis.pack_command(command)], [caller])
        return caller

    def data_received(self, data: bytes) -> None:
        reader, waiting = self._reader, self._waiting
        reader.feed(data)
        try:
            while (reply := reader.gets()) is not False:
                caller = waiting.popleft()[0]
                if caller.done():  # its caller gave up (cancelled): the reply is nobody's
                    continue
                if isinstance(reply, Exception):
                    caller.set_exception(reply)
                else:
                    caller.set_result(reply)
        except (InvalidResponse, IndexError) as error:
            self._drop(ConnectionError(f"Redis sent what cannot be read ({type(error).__name__}: {error})"))

    def _check(self) -> None:
        # One timer for all: due when the oldest command waiting is, moved on while it answers.
        self._timer = None
        if not self._waiting or self.closed:
            return
        deadline = self._waiting[0][1] + self._timeout
        loop = asyncio.get_running_loop()
        if loop.time() >= deadline:
            self._drop(TimeoutError(f"Redis did not answer within {self._timeout:g} s"))
        else:
            self._timer = loop.call_at(deadline, self._check)

    def _drop(self, error: Exception) -> None:
        if self._transport is not None:
            self._transport.abort()  # connection_lost follows, with nobody left to fail
        self._lost(error)

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost(ConnectionError(f"Connection to Redis lost ({exc or 'closed by the server'})"))

    def _lost(self, error: Exception) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting, self._waiting = self._waiting, deque()
        _fail([caller for caller, _ in waiting], error)

    def close(self) -> None:
        if self._transport is not None and not self.closed:
            self._transport.close()


def _fail(callers: Sequence[asyncio.Future[Any]], error: Exception) -> None:
    for caller in callers:
        if not caller.done():
            caller.set_exception(error)


class Pipelined:
    """Calls of the library's scripts queued until the loop's current turn ends, then sent together."""

    def __init__(
        self,
        url: str,
        library: Library,
        *,
        connect_timeout: float,
        command_timeout: float,
        on_new_server: Callable[[], None],
    ) -> None:
        self.endpoint = Endpoint.parse(url)
        self._library = library
        self._connect_timeout = connect_timeout
        self._command_timeout = command_timeout
        self._on_new_server = on_new_server
        # (a script and its arguments, or None and a whole command), packed when sent: how a
        # script is called depends on the server the connection reaches.
        self._queue: list[tuple[Script | None, Sequence[Any]]] = []
        self._callers: list[asyncio.Future[Any]] = []
        self._connection: _Connection | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._run_id: bytes | None = None

    async def __call__(self, name: str, args: Sequence[Any]) -> Any:
        script = self._library.scripts[name]
        try:
            return await self._call(script, args)
        except NoScriptError:
            # A server that has not seen it (new, restarted, SCRIPT FLUSH): EVAL also keeps it there.
            return await self._call(None, (b"EVAL", script.text, 0, *args))
        except ResponseError as error:
            if not str(error).startswith("ERR Function not found"):
                raise
            # The library went (FUNCTION FLUSH, FUNCTION DELETE) while the connection lasted.
            await self._call(None, (b"FUNCTION", b"LOAD", b"REPLACE", self._library.text))
            return await self._call(script, args)

    def _call(self, script: Script | None, args: Sequence[Any]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        caller: asyncio.Future[Any] = loop.create_future()
        if not self._queue:
            loop.call_soon(self._send)
        self._queue.append((script, args))
        self._callers.append(caller)
        return caller

    def _send(self) -> None:
        connection = self._connection
        if connection is None or connection.closed:
            if self._connecting is None:
                self._connecting = asyncio.get_running_loop().create_task(self._connect())
            return  # sent once connected, failed if it cannot be
        queue, callers = self._queue, self._callers
        self._queue, self._callers = [], []
        pack = hiredis.pack_command
        if connection.functions:
            commands = [pack(args if s is None else (b"FCALL", s.function, 0, *args)) for s, args in queue]
        else:
            commands = [pack(args if s is None else (b"EVALSHA", s.sha, 0, *args)) for s, args in queue]
        connection.send(commands, callers)

    async def _connect(self) -> None:
        try:
            connection = await asyncio.wait_for(self._open(), self._connect_timeout)
        except BaseException as error:
            # Everyone queued meanwhile gets the failure; the next call tries again.
            self._connecting = None
            callers, self._queue, self._callers = self._callers, [], []
            if isinstance(error, RedisError):
                _fail(callers, error)
            else:
                _fail(callers, ConnectionError(f"Error connecting to Redis at {self.endpoint}: {error!r}"))
            if isinstance(error, asyncio.CancelledError):
                raise
            return
        self._connecting = None
        self._connection = connection
        if self._queue:
            self._send()

    async def _open(self) -> _Connection:
        loop = asyncio.get_running_loop()
        endpoint = self.endpoint
        connection = _Connection(self._command_timeout)
        if endpoint.path is not None:
            await loop.create_unix_connection(lambda: connection, endpoint.path, ssl=endpoint.tls)
        else:
            await loop.create_connection(
                lambda: connection,
                endpoint.host,
                endpoint.port,
                ssl=endpoint.tls,
                server_hostname=endpoint.host if endpoint.tls else None,
            )
        try:
            if endpoint.password is not None:
                user = () if endpoint.username is None else (endpoint.username,)
                await connection.command((b"AUTH", *user, endpoint.password))
            if endpoint.db:
                await connection.command((b"SELECT", endpoint.db))
            run_id = _run_id(await connection.command((b"INFO", b"server")))
            try:
                await connection.command((b"FUNCTION", b"LOAD", b"REPLACE", self._library.text))
                connection.functions = True
            except ResponseError:
                connection.functions = False  # Redis before 7, or an ACL without FUNCTION: EVALSHA
        except BaseException:
            connection.close()
            raise
        if self._run_id is not None and run_id != self._run_id:
            self._on_new_server()
        self._run_id = run_id
        return connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def _run_id(info: bytes) -> bytes:
    for line in info.splitlines():
        if line.startswith(b"run_id:"):
            return line[7:].strip()
    return b""
