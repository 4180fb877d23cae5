"""`create_proxy_app`: the engine's layers and control API in front of the real services."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from alertmock.app.config import Config
from alertmock.app.factory import create_runtime, engine_options
from alertmock.app.lifecycle import lifespan
from alertmock.framework import build_app, select_engine
from alertmock.proxy.forwarding import Forwarder
from alertmock.proxy.ledger import ViolationLog
from alertmock.proxy.middleware import ProxyMiddleware, ProxySettings
from alertmock.proxy.recording import new_recorder

__all__ = ["create_proxy_app"]


def create_proxy_app(config: Config, settings: ProxySettings) -> Any:
    runtime = create_runtime(config)
    log = ViolationLog(config.journal_size)
    runtime.violations = log
    if settings.record is not None:
        runtime.recorder = new_recorder(runtime, settings.record)
    engine = select_engine(config.engine)
    forwarder = Forwarder()

    engine_lifespan = lifespan(runtime)

    @contextlib.asynccontextmanager
    async def proxy_lifespan(app: Any) -> AsyncIterator[None]:
        # The engine's (readiness, state file), then the upstream connections closed.
        async with engine_lifespan(app):
            yield
        await forwarder.aclose()
        if runtime.recorder is not None and settings.record is not None:
            runtime.recorder.flush(settings.record)

    return build_app(
        runtime,
        engine,
        lifespan=proxy_lifespan,
        serve_contract=False,
        # Inside the engine's layers, so sessions, faults, CORS and the journal apply.
        innermost=(
            ProxyMiddleware,
            {"runtime": runtime, "settings": settings, "log": log, "forwarder": forwarder, "engine": engine},
        ),
        **engine_options(runtime),
    )
