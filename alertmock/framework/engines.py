"""The two ways through Connexion: the speed path, and the stock path it falls back to.

An `Engine` is what differs between them: the Connexion app class and its middlewares, the
request validators, the pieces `alertmock proxy` checks exchanges with, and the HTTP protocol
uvicorn serves with. The **stock** engine is Connexion's `AsyncApp` as documented, with the
engine's validators (Connexion's documented extension point: `validator_map` and subclasses of
its body validators) and uvicorn's own protocol. The **speed** engine (`alertmock.framework.speed`)
does Connexion's per-request work once, through framework internals; it is imported only when
chosen, and checks at import that the installed frameworks are the ones it was written against.

`select_engine("auto")` (the default) takes the speed path and, should it fail to import or to
pass its self-check, the stock path with a one-line notice saying why; ``"speed"`` fails instead;
``"stock"`` takes the stock path on purpose (``--engine stock``, ``ALERTMOCK_ENGINE=stock``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alertmock.app.config import ENGINES

__all__ = ["ENGINES", "Engine", "select_engine", "stock_engine"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Engine:
    name: str
    # (validate_responses, **AsyncApp options) -> a Connexion AsyncApp
    new_app: Callable[..., Any]
    # () -> the validator_map given to every `add_api`
    validator_map: Callable[[], dict[str, Any]]
    # uvicorn's `http=` option: a protocol class's import string, or "auto"
    http: str
    # The proxy's checks (alertmock.framework.proxy_checks): routing, request validation, the
    # specification object both are built from, and a (schema, validator class) -> validator.
    routing_middleware: type
    request_validation_operation: type
    specification: Callable[[dict[str, Any]], Any]
    compiled: Callable[[Any, type], Any]
    # Why this engine serves when another was asked for (printed once by `serve` and `proxy`).
    notice: str | None = None


def stock_engine(notice: str | None = None) -> Engine:
    from connexion import AsyncApp
    from connexion.middleware.request_validation import RequestValidationOperation
    from connexion.middleware.routing import RoutingMiddleware
    from connexion.spec import Specification
    from jsonschema import Draft4Validator

    from alertmock.framework.validators import validator_map

    def new_app(validate_responses: bool, **options: Any) -> Any:
        return AsyncApp("alertmock", **options)

    def compiled(schema: Any, cls: type) -> Any:
        return cls(schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    return Engine(
        name="stock",
        new_app=new_app,
        validator_map=validator_map,
        http="auto",
        routing_middleware=RoutingMiddleware,
        request_validation_operation=RequestValidationOperation,
        specification=Specification.from_dict,
        compiled=compiled,
        notice=notice,
    )


def select_engine(choice: str = "auto") -> Engine:
    if choice not in ENGINES:
        raise ValueError(f"unknown engine {choice!r}: one of {', '.join(ENGINES)}")
    if choice == "stock":
        return stock_engine(notice="alertmock: serving on the stock Connexion path (--engine stock)")
    try:
        from alertmock.framework.speed.engine import speed_engine

        return speed_engine()
    except Exception as exc:
        if choice == "speed":
            raise
        return stock_engine(notice=fallback_notice(exc))


def first_line(exc: BaseException) -> str:
    """An exception's message in one line (its class name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def fallback_notice(exc: BaseException) -> str:
    why = f"{type(exc).__name__}: {first_line(exc)}" if str(exc).strip() else type(exc).__name__
    return f"alertmock: the speed path is unavailable ({why}); serving on the stock Connexion path"
