"""One frozen, typed configuration, built from CLI flags and ``ALERTMOCK_*`` environment variables.

No other module reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from alertmock.app.bundle import bundle_root
from alertmock.state.clock import Clock
from alertmock.state.store import DEFAULT_COLLECTION_CAP, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_SECONDS

# The installed package's copies, or a checkout's root (alertmock/app/bundle.py): never the working directory.
DEFAULT_SPEC = bundle_root() / "openapi.yaml"
DEFAULT_FIXTURES = bundle_root() / "fixtures"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4010
DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_JOURNAL_SIZE = 1000
# The bodies the journal keeps, sent and answered, at most this many bytes in all: a thousand
# answers of a few hundred KiB would otherwise hold hundreds of MiB.
DEFAULT_JOURNAL_BYTES = 8 * 1024 * 1024
DEFAULT_CORS_ORIGINS: tuple[str, ...] = ("*",)
# What the journal (and the dashboard reading it) shows of credentials: fingerprints, or with
# "show" the values themselves (alertmock/contract/redaction.py).
JOURNAL_SECRETS = ("redact", "show")
MEMORY_STATE = "memory"
_SHARED_STATE_SCHEMES = ("redis://", "rediss://", "unix://")
# Under `docker stop`'s 10 s between SIGTERM and SIGKILL, so the state file is always saved.
DEFAULT_SHUTDOWN_TIMEOUT = 5.0
# The way through Connexion (alertmock/framework/engines.py): the speed path, falling back to stock.
ENGINES = ("auto", "speed", "stock")


class ConfigError(ValueError):
    """A setting that cannot work; the message names the flag (or variable) and what is wrong."""


@dataclass(frozen=True)
class Config:
    spec: Path = DEFAULT_SPEC
    fixtures: Path = DEFAULT_FIXTURES
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    seed: int | None = None
    clock: str = "real"
    validate_responses: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    collection_cap: int = DEFAULT_COLLECTION_CAP
    max_sessions: int = DEFAULT_MAX_SESSIONS
    session_idle_seconds: float = DEFAULT_SESSION_IDLE_SECONDS
    journal_size: int = DEFAULT_JOURNAL_SIZE
    journal_bytes: int = DEFAULT_JOURNAL_BYTES
    cors_origins: tuple[str, ...] = DEFAULT_CORS_ORIGINS
    # Request headers a CORS preflight may ask for besides the contract's; None: any it asks for.
    cors_headers: tuple[str, ...] | None = None
    # Host names served besides loopback names and IP literals (alertmock/layers/origin_guard.py).
    allowed_hosts: tuple[str, ...] = ()
    journal_secrets: str = JOURNAL_SECRETS[0]
    # Bearer token the control API requires (alertmock/controls/admin_token.py); None leaves it open.
    admin_token: str | None = field(default=None, repr=False)
    # Every session saved here at shutdown and loaded at start-up (alertmock/state/state_file.py).
    state_file: Path | None = None
    # On SIGTERM, how long requests in flight may take to finish before the server stops anyway.
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT
    swagger_ui: bool = True
    quiet: bool = False  # no log line per request
    # Where state lives: "memory" (this process) or a Redis URL shared by several processes.
    state: str = MEMORY_STATE
    workers: int = 1
    # "auto" (the speed path, or stock if it cannot run), "speed" (or fail), "stock".
    engine: str = "auto"
    # Vendor settings read by handlers through `current_settings()`, e.g. job durations.
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ConfigError(f"--port {self.port}: not a TCP port (1 to 65535)")
        if self.admin_token is not None and not self.admin_token.strip():
            raise ConfigError("--admin-token: must not be empty")
        if self.state != MEMORY_STATE and not self.state.startswith(_SHARED_STATE_SCHEMES):
            raise ConfigError(f"--state {self.state}: must be memory or a Redis URL (redis://HOST:PORT/DB)")
        if self.state != MEMORY_STATE:
            from alertmock.state.redis_pipeline import Endpoint  # redis and hiredis: only for Redis state

            try:
                Endpoint.parse(self.state)
            except ValueError as exc:
                raise ConfigError(f"--state {self.state}: {exc}") from None
        if self.workers > 1 and self.state == MEMORY_STATE:
            raise ConfigError(
                f"--workers {self.workers} needs shared state (--state redis://HOST:PORT/DB): "
                "with memory state each process would answer from a store of its own"
            )
        if self.engine not in ENGINES:
            raise ConfigError(f"--engine {self.engine}: one of {', '.join(ENGINES)}")
        if self.journal_secrets not in JOURNAL_SECRETS:
            raise ConfigError(f"--journal-secrets {self.journal_secrets}: must be redact or show")
        if self.shutdown_timeout < 0:
            raise ConfigError(f"--shutdown-timeout {self.shutdown_timeout}: must not be negative")
        for name in ("max_body_bytes", "collection_cap", "max_sessions", "journal_size", "journal_bytes", "workers"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: must be at least 1")
        try:
            Clock.parse(self.clock)
        except ValueError as exc:
            raise ConfigError(
                f"--clock {self.clock}: {exc}; expected real, an ISO 8601 instant, xN or INSTANT@xN"
            ) from None

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with the given fields replaced; None means "keep the current value"."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Defaults overridden by ``ALERTMOCK_<FIELD>`` variables (e.g. ``ALERTMOCK_PORT=8080``)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"ALERTMOCK_{f.name.upper()}")
            if raw is None or f.name == "settings":
                continue
            try:
                values[f.name] = _coerce(f.name, raw)
            except ValueError:
                raise ConfigError(f"ALERTMOCK_{f.name.upper()}={raw}: not a valid {f.name.replace('_', ' ')}") from None
        return cls(**values)


def _coerce(name: str, raw: str) -> Any:
    default = getattr(Config, name, None)
    if name in ("spec", "fixtures", "state_file"):
        return Path(raw)
    if name in ("cors_origins", "cors_headers", "allowed_hosts"):
        return tuple(o.strip() for o in raw.split(",") if o.strip())
    if name == "admin_token":
        return raw.strip() or None  # an empty variable (compose's `${VAR:-}`) means none
    if name == "seed":
        return int(raw)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
