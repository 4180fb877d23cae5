"""An app around the engine: Connexion serving the contract, the engine's layers outside it.

`build_app` is the only place that assembles a Connexion app. It builds it with the chosen
`Engine` and, should the speed engine fail while building (a framework changed under it in a way
its self-check did not see), builds it again on the stock engine, saying why in
`app.engine.notice`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from connexion import AsyncApp
from connexion.exceptions import InvalidSpecification
from connexion.middleware import MiddlewarePosition
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.options import SwaggerUIOptions
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from alertmock.contract.document import ContractError
from alertmock.errors import ApiError
from alertmock.framework.engines import Engine, fallback_notice, first_line, stock_engine
from alertmock.framework.problems import HANDLED, connexion_error_handler
from alertmock.framework.resolver import HandlerResolver

if TYPE_CHECKING:
    from alertmock.app.context import Runtime

__all__ = ["build_app"]


def quiet_connexion_logs() -> None:
    """Connexion warns on every request to an operation with several request media types (Tableau's
    XML and JSON), and logs an *error* for every query parameter the contract does not declare
    (`__code` and the like, or whatever a client adds, which real services ignore as the mock does):
    per-request logging of normal traffic is noise here and costs throughput."""
    logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
    logging.getLogger("connexion.decorators.parameter").setLevel(logging.CRITICAL)


def build_app(
    runtime: Runtime,
    engine: Engine,
    *,
    controls: dict[str, Any],
    render: Callable[[Request, Exception], Response],
    outermost: Callable[[ASGIApp], ASGIApp],
    lifespan: Any,
    serve_contract: bool = True,
    innermost: tuple[type, dict[str, Any]] | None = None,
) -> AsyncApp:
    """The app: the vendors' operations (unless `serve_contract` is False: the proxy's
    `innermost` layer takes their place), the control API (`controls`), every exception answered
    by `render`, and `outermost` (the engine's front layer) around everything of Connexion's."""
    quiet_connexion_logs()
    build = partial(
        _build,
        runtime,
        controls=controls,
        render=render,
        outermost=outermost,
        lifespan=lifespan,
        serve_contract=serve_contract,
        innermost=innermost,
    )
    try:
        return build(engine)
    except InvalidSpecification as exc:
        raise ContractError(
            f"--spec {runtime.config.spec}: not a valid OpenAPI 3.0 contract: {first_line(exc)}"
        ) from None
    except ContractError:
        raise
    except Exception as exc:
        if engine.name == "stock":
            raise
        # A framework changed under the speed path in a way its self-check did not see.
        return build(stock_engine(notice=fallback_notice(exc)))


def _build(
    runtime: Runtime,
    engine: Engine,
    *,
    controls: dict[str, Any],
    render: Callable[[Request, Exception], Response],
    outermost: Callable[[ASGIApp], ASGIApp],
    lifespan: Any,
    serve_contract: bool,
    innermost: tuple[type, dict[str, Any]] | None,
) -> AsyncApp:
    config = runtime.config
    app = engine.new_app(config.validate_responses, lifespan=lifespan)
    swagger_ui = SwaggerUIOptions(swagger_ui=config.swagger_ui, swagger_ui_path="/ui")
    if serve_contract:
        resolver = HandlerResolver()
        app.add_api(
            # The resolved document: every $ref into spec/ already inlined, parsed once.
            runtime.contract.resolved,
            resolver=resolver,
            validate_responses=config.validate_responses,
            validator_map=engine.validator_map(),
            swagger_ui_options=swagger_ui,
        )
        # Filled when Connexion resolves the operations (at start-up, before the first request).
        runtime.fallback_operations = resolver.fallbacks
    app.add_api(
        controls, resolver=HandlerResolver(), validator_map=engine.validator_map(), swagger_ui_options=swagger_ui
    )
    handle = connexion_error_handler(render)
    for exc_class in (ApiError, *HANDLED, HTTPException, Exception):
        app.add_error_handler(exc_class, handle)
    # One layer outside everything of Connexion's (alertmock/layers/front.py), in place of
    # Connexion's ServerErrorMiddleware: the engine's error boundary is inside it. What is added
    # at BEFORE_EXCEPTION later (the proxy's layer) still comes after the engine's.
    middlewares = app.middleware.middlewares
    middlewares[:] = [m for m in middlewares if m is not ServerErrorMiddleware]
    middlewares.insert(0, outermost)
    if innermost is not None:
        layer, layer_options = innermost
        app.add_middleware(layer, position=MiddlewarePosition.BEFORE_EXCEPTION, **layer_options)
    runtime.engine = engine.name
    app.runtime = runtime  # type: ignore[attr-defined]
    app.engine = engine  # type: ignore[attr-defined]
    return app
