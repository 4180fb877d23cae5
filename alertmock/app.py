"""`create_app`: the contract, the fixtures and the handlers wired into one Connexion app."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import ProblemException
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.options import SwaggerUIOptions
from starlette.exceptions import HTTPException

from alertmock.admin_token import without_security
from alertmock.clock import Clock
from alertmock.config import MEMORY_STATE, Config
from alertmock.context import Runtime
from alertmock.contract import Contract
from alertmock.cors import CorsPolicy
from alertmock.error_handlers import connexion_handler
from alertmock.errors import ApiError
from alertmock.faults import Faults
from alertmock.fixtures import load_fixtures
from alertmock.front import Front
from alertmock.generation import Generator, vocabulary
from alertmock.ids import Ids
from alertmock.journal import Journal
from alertmock.lifecycle import lifespan
from alertmock.memory_store import MemorySessions
from alertmock.redaction import Secrets, redact_exchange
from alertmock.resolver import HandlerResolver
from alertmock.shims.fast_validators import fast_validator_map
from alertmock.shims.planned_app import MIDDLEWARES, MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION, PlannedAsyncApp
from alertmock.validation import validator_map


def quiet_connexion_logs() -> None:
    """Connexion warns on every request to an operation with several request media types (Tableau's
    XML and JSON), and logs an *error* for every query parameter the contract does not declare
    (`__code` and the like, or whatever a client adds, which real services ignore as the mock does):
    per-request logging of normal traffic is noise here and costs throughput."""
    logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
    logging.getLogger("connexion.decorators.parameter").setLevel(logging.CRITICAL)


CONTROLS_SPEC = Path(__file__).with_name("controls.yaml")


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
    fixtures = load_fixtures(config.fixtures)
    clock, ids = Clock.parse(config.clock), Ids(config.seed)
    generator = Generator(config.seed, vocabulary(contract.resolved))
    if config.state != MEMORY_STATE:
        # Shared by every process that names the same Redis (alertmock/redis_store.py).
        from alertmock.redis_store import RedisSessions

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


def create_app(config: Config | None = None, *, planned: bool = True) -> AsyncApp:
    """The mock as an ASGI app.

    `planned=False` builds a stock Connexion `AsyncApp` (its default middlewares and security
    map, the engine's validators as they are) with none of `alertmock/shims/`: the same handlers,
    engine middleware and error rendering, slower. It is the fallback should a shim break with a
    new Connexion, and the reference `tests/test_differential.py` holds the served app to.
    """
    config = config or Config()
    quiet_connexion_logs()
    runtime = create_runtime(config)
    resolver = HandlerResolver()
    # Start-up and shutdown: the state file, readiness (alertmock/lifecycle.py).
    app, validators = new_app(config, planned=planned, lifespan=lifespan(runtime))
    app.add_api(
        # The resolved document: every $ref into spec/ already inlined, parsed once.
        runtime.contract.resolved,
        resolver=resolver,
        validate_responses=config.validate_responses,
        validator_map=validators(),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=config.swagger_ui, swagger_ui_path="/ui"),
    )
    # Filled when Connexion resolves the operations (at start-up, before the first request).
    runtime.extras["fallback_operations"] = resolver.fallbacks
    add_engine(app, runtime, validators)
    return app


def new_app(config: Config, *, planned: bool = True, **options: Any) -> tuple[AsyncApp, Callable[[], dict[str, Any]]]:
    """An empty app and the validator map its APIs take; `options` go to the app (a lifespan, say)."""
    if planned:
        # Connexion with its per-request invariants planned once (alertmock/shims/planned_app.py).
        middlewares = MIDDLEWARES if config.validate_responses else MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION
        return PlannedAsyncApp(__name__, middlewares=list(middlewares), **options), fast_validator_map
    return AsyncApp(__name__, **options), validator_map


def add_engine(app: AsyncApp, runtime: Runtime, validators: Callable[[], dict[str, Any]] = fast_validator_map) -> None:
    """Everything but the vendors' operations: the control API, the error boundary, the engine's
    layer (sessions, faults, journal), CORS and the edge. `create_app` gives it the mock's
    operations first; `alertmock proxy` a layer that forwards them instead."""
    config = runtime.config
    controls = Contract(CONTROLS_SPEC).resolved
    app.add_api(
        controls if config.admin_token else without_security(controls),
        resolver=HandlerResolver(),
        validator_map=validators(),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=config.swagger_ui, swagger_ui_path="/ui"),
    )
    handle = connexion_handler(runtime)
    for exc_class in (ApiError, ProblemException, HTTPException, Exception):
        app.add_error_handler(exc_class, handle)
    # One layer outside everything of Connexion's: the edge, CORS, the error boundary, the pages
    # and the engine's layer (sessions, faults, journal), in that order (alertmock/front.py). The
    # engine's error boundary takes the place of Connexion's ServerErrorMiddleware (see
    # alertmock/error_handlers.py); what Connexion adds at BEFORE_EXCEPTION later (the proxy's
    # layer) still comes after the engine's.
    middlewares = app.middleware.middlewares
    middlewares[:] = [m for m in middlewares if m is not ServerErrorMiddleware]
    middlewares.insert(
        0,
        partial(
            Front,
            runtime=runtime,
            policy=CorsPolicy.from_config(config, runtime.contract),
            security_schemes=runtime.contract.resolved.get("components", {}).get("securitySchemes", {}),
            swagger_ui=config.swagger_ui,
            log=not config.quiet,
        ),
    )
    app.runtime = runtime  # type: ignore[attr-defined]
