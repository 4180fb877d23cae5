"""`create_app`: the contract, the fixtures and the handlers wired into one app.

The runtime (contract, state, clock, ids, journal, faults) is the engine's own; the app around it
is assembled by the framework adapter (`alertmock.framework.build_app`) on the engine chosen by
`Config.engine`: the speed path, or the stock Connexion path it falls back to.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from alertmock.app.config import DEFAULT_FIXTURES, MEMORY_STATE, Config
from alertmock.app.context import Runtime
from alertmock.app.lifecycle import lifespan
from alertmock.contract.document import Contract
from alertmock.contract.generation import Generator, vocabulary
from alertmock.contract.redaction import Secrets, redact_exchange
from alertmock.controls import CONTROLS_SPEC
from alertmock.controls.admin_token import without_security
from alertmock.framework import build_app, select_engine
from alertmock.layers.cors import CorsPolicy
from alertmock.layers.error_boundary import render_exception
from alertmock.layers.front import Front
from alertmock.state.clock import Clock
from alertmock.state.faults import Faults
from alertmock.state.fixtures import load_layered
from alertmock.state.ids import Ids
from alertmock.state.journal import Journal
from alertmock.state.memory import MemorySessions

__all__ = ["create_app", "create_runtime", "engine_options"]


def create_runtime(config: Config) -> Runtime:
    runtime = _new_runtime(config)
    runtime.secrets = Secrets.from_document(runtime.contract.resolved)
    if config.journal_secrets != "show":
        runtime.journal.redact = partial(redact_exchange, secrets=runtime.secrets)
    return runtime


def _new_runtime(config: Config) -> Runtime:
    contract = Contract(config.spec)
    controls = Contract(CONTROLS_SPEC)
    contract.include(controls)
    fixtures = load_layered(config.fixtures, DEFAULT_FIXTURES)
    clock, ids = Clock.parse(config.clock), Ids(config.seed)
    generator = Generator(config.seed, vocabulary(contract.resolved))
    if config.state != MEMORY_STATE:
        # Shared by every process that names the same Redis (alertmock/state/redis_backend.py).
        from alertmock.state.redis_backend import RedisSessions

        shared = RedisSessions(
            config.state,
            fixtures,
            cap=config.collection_cap,
            max_sessions=config.max_sessions,
            idle_seconds=config.session_idle_seconds,
            journal_size=config.journal_size,
            clock=clock,
            ids=ids,
            generator=generator,
            seed=config.seed,
        )
        return Runtime(config, contract, shared, shared.clock, ids, generator, shared.journal, shared.faults)
    sessions = MemorySessions(
        fixtures,
        cap=config.collection_cap,
        max_sessions=config.max_sessions,
        idle_seconds=config.session_idle_seconds,
    )
    journal = Journal(config.journal_size, config.journal_bytes)
    return Runtime(config, contract, sessions, clock, ids, generator, journal, Faults(config.seed))


def create_app(config: Config | None = None, *, engine: str | None = None) -> Any:
    """The mock as an ASGI app (a Connexion `AsyncApp`).

    `engine` (default `config.engine`, ``"auto"``) chooses the way through Connexion:
    ``"stock"`` is a plain Connexion `AsyncApp` with the engine's validators, the reference that
    `tests/framework/test_differential.py` holds the speed path to; ``"auto"`` takes the speed path and falls
    back to stock, saying why in `app.engine.notice`.
    """
    config = config or Config()
    runtime = create_runtime(config)
    return build_app(
        runtime,
        select_engine(engine or config.engine),
        # Start-up and shutdown: the state file, readiness (alertmock/app/lifecycle.py).
        lifespan=lifespan(runtime),
        **engine_options(runtime),
    )


def engine_options(runtime: Runtime) -> dict[str, Any]:
    """Everything but the vendors' operations: the control API, how errors are answered, and the
    engine's front layer (the edge, CORS, the error boundary, the pages, sessions, faults and the
    journal: alertmock/layers/front.py). `create_app` adds the mock's operations; `alertmock proxy`
    a layer that forwards them instead."""
    config = runtime.config
    controls = Contract(CONTROLS_SPEC).resolved
    return {
        "controls": controls if config.admin_token else without_security(controls),
        "render": render_exception(runtime),
        "outermost": partial(
            Front,
            runtime=runtime,
            policy=CorsPolicy.from_config(config, runtime.contract),
            security_schemes=runtime.contract.resolved.get("components", {}).get("securitySchemes", {}),
            swagger_ui=config.swagger_ui,
            log=not config.quiet,
        ),
    }
