"""`create_proxy_app`: the engine's layers and control API in front of the real services."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from connexion import AsyncApp
from connexion.middleware import MiddlewarePosition

from alertmock.app import add_engine, create_runtime, new_app
from alertmock.config import Config
from alertmock.lifecycle import lifespan
from alertmock.proxy.forwarding import Forwarder
from alertmock.proxy.ledger import VIOLATIONS, ViolationLog
from alertmock.proxy.middleware import ProxyMiddleware, ProxySettings

__all__ = ["VIOLATIONS", "create_proxy_app"]


def create_proxy_app(config: Config, settings: ProxySettings) -> AsyncApp:
    runtime = create_runtime(config)
    log = ViolationLog(config.journal_size)
    runtime.extras[VIOLATIONS] = log
    forwarder = Forwarder()

    engine_lifespan = lifespan(runtime)

    @contextlib.asynccontextmanager
    async def proxy_lifespan(app: Any) -> AsyncIterator[None]:
        # The engine's (readiness, state file), then the upstream connections closed.
        async with engine_lifespan(app):
            yield
        await forwarder.aclose()

    app, validators = new_app(config, lifespan=proxy_lifespan)
    add_engine(app, runtime, validators)
    # Inside the engine's layers (added before this), so sessions, faults, CORS and the journal apply.
    app.add_middleware(
        ProxyMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        runtime=runtime,
        settings=settings,
        log=log,
        forwarder=forwarder,
    )
    return app
