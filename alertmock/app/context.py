"""Per-request access to the engine's services, for handlers and auth functions.

The engine's middleware (alertmock/layers/engine.py) binds the app's `Runtime` and the request's
scope and session for the duration of each request; handlers reach them through these accessors,
never through module globals, so several apps (tests, sessions) can live in one process.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import Scope

from alertmock.contract.generation import Generator
from alertmock.contract.preferences import Preferences
from alertmock.contract.redaction import Secrets
from alertmock.framework import routed_operation_id
from alertmock.state.clock import Clock
from alertmock.state.faults import Faults
from alertmock.state.ids import Ids
from alertmock.state.journal import Journal
from alertmock.state.store import DEFAULT_SESSION, Sessions, State

if TYPE_CHECKING:
    from alertmock.app.config import Config
    from alertmock.contract.document import Contract, Operation


@dataclass
class Runtime:
    """Everything one app instance owns."""

    config: Config
    contract: Contract
    sessions: Sessions
    clock: Clock
    ids: Ids
    generator: Generator
    journal: Journal
    faults: Faults
    # Operations the contract names whose handler does not exist: answered from the contract.
    fallback_operations: list[str] = field(default_factory=list)
    # True between start-up (state file loaded) and shutdown: /__mock/ready.
    ready: bool = False
    # Which way through Connexion serves: "speed" or "stock" (alertmock.framework.engines).
    engine: str = ""
    # `alertmock proxy`'s violation log (alertmock.proxy.ledger.ViolationLog); None when serving.
    violations: Any = None
    # `alertmock proxy --record`'s recorder (alertmock.proxy.recording.Recorder); None otherwise.
    recorder: Any = None
    # The credentials the contract names, kept out of the journal, violations and log.
    secrets: Secrets = field(default_factory=Secrets)


class Bound:
    """What the engine binds for one request. One context variable holds it, set once per request:
    the middleware updates `scope` (a relabelled body) and `preferences` in place, and every
    accessor reads one variable."""

    __slots__ = ("preferences", "runtime", "scope", "session", "state")

    def __init__(
        self, runtime: Runtime, scope: Scope, session: str, state: State, preferences: Preferences | None = None
    ) -> None:
        self.runtime = runtime
        self.scope = scope
        self.session = session
        self.state = state
        self.preferences = preferences


_bound: ContextVar[Bound] = ContextVar("alertmock.bound")


def bind(runtime: Runtime, scope: Scope, session: str, state: State, preferences: Preferences | None = None) -> Bound:
    """Bind one request's services; the returned `Bound` may be updated while the request runs."""
    bound = Bound(runtime, scope, session, state, preferences)
    _bound.set(bound)
    return bound


def current_preferences() -> Preferences | None:
    bound = _bound.get(None)
    return None if bound is None else bound.preferences


def current_runtime() -> Runtime:
    return _bound.get().runtime


def current_state() -> State:
    """The caller's session state (opened by the middleware, created from the fixtures on first use)."""
    return _bound.get().state


def current_session() -> str:
    bound = _bound.get(None)
    return DEFAULT_SESSION if bound is None else bound.session


def current_request() -> Request:
    return Request(_bound.get().scope)


def request_header(name: str) -> str | None:
    """The first value of one of the current request's headers (`name` in lower case)."""
    wanted = name.encode("latin-1")
    for key, value in _bound.get().scope["headers"]:
        if key == wanted:
            return value.decode("latin-1")
    return None


def current_operation_id() -> str | None:
    """The operation Connexion routed the current request to (None before routing or if none matched)."""
    return routed_operation_id(_bound.get().scope)


def current_operation() -> Operation:
    """The contract's operation serving the current request: its parameters, request body and
    responses, `x-` extensions included. Handlers read vendor facts (limits, media types,
    defaults) here rather than repeating them in code."""
    operation_id = current_operation_id()
    operation = _bound.get().runtime.contract.operations.get(operation_id) if operation_id else None
    if operation is None:
        raise LookupError("no operation of the contract is serving this request")
    return operation


def current_settings() -> dict[str, Any]:
    """Vendor settings from the configuration (e.g. ``{"matatika.job_seconds": 30}``)."""
    return dict(_bound.get().runtime.config.settings)


def now() -> datetime:
    """The simulated clock's current instant (timezone-aware, UTC)."""
    return _bound.get().runtime.clock.now()


def new_uuid() -> str:
    """A random UUID4 string from the app's seedable source."""
    return _bound.get().runtime.ids.uuid4()


_KEY = "alertmock.base_url"
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def base_url(request: Request | None = None) -> str:
    """The URL a client used to reach the mock, honouring ``X-Forwarded-Proto/Host/Port``.

    Links built from it keep a client that follows them on the mock. Computed once per request
    and kept in the ASGI scope: a 20-item HAL list asks for it dozens of times.
    """
    scope = request.scope if request is not None else _bound.get().scope
    cached = scope.get(_KEY)
    if cached is None:
        cached = scope[_KEY] = _compute(scope)
    return cached  # type: ignore[no-any-return]


def _first(value: bytes) -> str:
    return value.decode("latin-1").split(",")[0].strip()


def _compute(scope: Scope) -> str:
    wanted = {b"x-forwarded-proto": "", b"x-forwarded-host": "", b"x-forwarded-port": "", b"host": ""}
    for name, value in scope.get("headers", ()):
        name = name.lower()
        if name in wanted and not wanted[name]:
            wanted[name] = _first(value) if name != b"host" else value.decode("latin-1").strip()
    scheme = wanted[b"x-forwarded-proto"] or scope.get("scheme", "http")
    host = wanted[b"x-forwarded-host"] or wanted[b"host"]
    port = wanted[b"x-forwarded-port"]
    if not host:
        server = scope.get("server")
        if server:
            server_host, server_port = server[0], server[1]
            default = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
            host = server_host if server_port is None or str(server_port) == default else f"{server_host}:{server_port}"
        else:
            host = "localhost"
    if port and ":" not in host.rsplit("]", 1)[-1] and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"
