"""The speed engine: importing this module imports the whole speed path and checks it can run.

The self-check compares the installed Connexion, Starlette and uvicorn with the minor versions
the speed path was written against (the pins of ``pyproject.toml``), and looks up every private
name it reaches into that a version could rename. Any failure raises, and
`alertmock.framework.engines.select_engine` serves on the stock path instead.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version

from alertmock.framework.engines import Engine
from alertmock.framework.speed.fast_validators import fast_validator_map
from alertmock.framework.speed.one_write import http_protocol
from alertmock.framework.speed.planned_app import (
    MIDDLEWARES,
    MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION,
    IndexedRoutingMiddleware,
    PlannedAsyncApp,
    PlannedRequestValidationOperation,
)
from alertmock.framework.speed.schema_fast_path import compiled
from alertmock.framework.speed.spec_check import CheckedSpecification

__all__ = ["WRITTEN_AGAINST", "SelfCheckError", "speed_engine"]

# Distribution -> the version prefix the speed path was written and tested against.
WRITTEN_AGAINST = {"connexion": "3.3.", "starlette": "1.10.", "uvicorn": "0.55."}

# Private names (module, dotted attribute) whose disappearance would break the speed path at
# request time rather than at import: looked up now, so the fallback happens at start-up.
PRIVATE_NAMES = (
    ("connexion.middleware.request_validation", "RequestValidationOperation.extract_content_type"),
    ("connexion.middleware.security", "SecurityOperation.from_operation"),
    ("connexion.middleware.main", "ConnexionMiddleware._build_middleware_stack"),
    ("connexion.apps.asynchronous", "AsyncOperation.fn"),
    ("connexion.security", "AbstractSecurityHandler._generic_check"),
    ("connexion.validators", "AbstractRequestBodyValidator.wrap_receive"),
    ("connexion.validators", "AbstractRequestBodyValidator._insert_messages"),
    ("connexion.decorators", "StarletteDecorator._parameter_decorator_cls"),
    ("connexion.decorators", "ASGIDecorator._sync_async_decorator"),
    ("connexion.spec", "OpenAPISpecification._validate_spec"),
    ("starlette._utils", "get_route_path"),
    ("uvicorn.protocols.http.httptools_impl", "HttpToolsProtocol.on_headers_complete"),
    ("uvicorn.protocols.http.httptools_impl", "RequestResponseCycle"),
)


class SelfCheckError(RuntimeError):
    """The installed frameworks are not the ones the speed path was written against."""


def self_check() -> None:
    for distribution, prefix in WRITTEN_AGAINST.items():
        installed = version(distribution)
        if not installed.startswith(prefix):
            raise SelfCheckError(f"{distribution} {installed} is installed; the speed path is written for {prefix}x")
    for module_name, dotted in PRIVATE_NAMES:
        found: object = importlib.import_module(module_name)
        for part in dotted.split("."):
            if not hasattr(found, part):
                raise SelfCheckError(f"{module_name}.{dotted} is gone")
            found = getattr(found, part)


def speed_engine() -> Engine:
    self_check()

    def new_app(validate_responses: bool, **options: object) -> PlannedAsyncApp:
        middlewares = MIDDLEWARES if validate_responses else MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION
        return PlannedAsyncApp("alertmock", middlewares=list(middlewares), **options)

    return Engine(
        name="speed",
        new_app=new_app,
        validator_map=fast_validator_map,
        http=http_protocol(),
        routing_middleware=IndexedRoutingMiddleware,
        request_validation_operation=PlannedRequestValidationOperation,
        specification=CheckedSpecification,
        compiled=compiled,
    )
