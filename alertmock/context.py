"""Per-request access to the engine's services, for handlers and auth functions.

The engine's outermost middleware binds the app's `Runtime` and the request's scope and session
for the duration of each request; handlers reach them through these accessors, never through
module globals, so several apps (tests, sessions) can live in one process.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.types import Scope

from alertmock.clock import Clock
from alertmock.faults import Faults
from alertmock.generation import Generator
from alertmock.ids import Ids
from alertmock.journal import Journal
from alertmock.preferences import Preferences
from alertmock.store import DEFAULT_SESSION, Sessions, State

if TYPE_CHECKING:
    from alertmock.config import Config
    from alertmock.contract import Contract


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
    extras: dict[str, Any] = field(default_factory=dict)


_runtime: ContextVar[Runtime] = ContextVar("alertmock.runtime")
_scope: ContextVar[Scope] = ContextVar("alertmock.scope")
_session: ContextVar[str] = ContextVar("alertmock.session", default=DEFAULT_SESSION)
_preferences: ContextVar[Preferences | None] = ContextVar("alertmock.preferences", default=None)


def bind(runtime: Runtime, scope: Scope, session: str, preferences: Preferences | None = None) -> None:
    _runtime.set(runtime)
    _scope.set(scope)
    _session.set(session)
    _preferences.set(preferences)


def current_preferences() -> Preferences | None:
    return _preferences.get()


def current_runtime() -> Runtime:
    return _runtime.get()


def current_state() -> State:
    """The caller's session state (created from the fixtures on first use)."""
    return _runtime.get().sessions.get(_session.get())


def current_session() -> str:
    return _session.get()


def current_request() -> Request:
    return Request(_scope.get())


def current_settings() -> dict[str, Any]:
    """Vendor settings from the configuration (e.g. ``{"matatika.job_seconds": 30}``)."""
    return dict(_runtime.get().config.settings)


def now() -> datetime:
    """The simulated clock's current instant (timezone-aware, UTC)."""
    return _runtime.get().clock.now()


def new_uuid() -> str:
    """A random UUID4 string from the app's seedable source."""
    return _runtime.get().ids.uuid4()


def base_url(request: Request | None = None) -> str:
    """The URL a client used to reach the mock, honouring ``X-Forwarded-Proto/Host/Port``.

    Links built from it keep a client that follows them on the mock.
    """
    request = request or current_request()
    headers = request.headers
    scheme = headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host", "")
    port = headers.get("x-forwarded-port", "").split(",")[0].strip()
    if not host:
        host = f"{request.url.hostname}:{request.url.port}" if request.url.port else str(request.url.hostname)
    if port and ":" not in host.rsplit("]", 1)[-1]:
        default = {"http": "80", "https": "443"}.get(scheme)
        if port != default:
            host = f"{host}:{port}"
    return f"{scheme}://{host}"
