"""Connexion's per-operation work done once at start-up instead of on every request.

Connexion 3.3 rebuilds, for every request, the decorator chain around the handler
(`AsyncOperation.fn` makes a new `StarletteDecorator`, which re-runs `inspect.signature` on the
handler and rebuilds the URI parser), inspects each security info function's signature twice
(`AbstractSecurityHandler._generic_check`), parses the body a second time with the stdlib's
``json`` although the validator has just parsed it, and attempts form parsing even on a GET.
Together that was ~30% of a GET's time in the engine.

These subclasses keep Connexion as the router, validator and argument mapper and only move the
invariant work to start-up or to the first request of each operation:

- `PlannedAsyncApp`: an `AsyncApp` whose operations are `PlannedOperation`s, with the cached
  security handlers as defaults (validators are compiled once in `alertmock.framework.validators`), and
  whose APIs are loaded documents checked through `alertmock.framework.speed.spec_check`.
- `PlannedOperation`: decorates its handler once.
- `PlannedParameterDecorator`: the handler's argument names inspected once and its arguments
  mapped by `alertmock.framework.speed.argument_plan` (Connexion's conversions, its tables built once), from the
  parameters the validator parsed (`alertmock.framework.speed.parsed_request`); the body read only when the
  request has one and the handler takes it (JSON with orjson); no form parsing unless the
  request is a form.
- `PlannedRequestValidationMiddleware`: the parameter validator and URI parser of an operation
  built once, and per request media type its body schema, validator class and flags looked up
  once (Connexion rebuilds them, through `fnmatch`-based media type lookups, on every request).
- `IndexedRoutingMiddleware`: each API's routes looked up through `alertmock.framework.speed.route_index`, which
  tries only the routes a path's first segments allow, instead of every route in order; a path
  for the root API goes straight to its router.
- `PrefixedSwaggerUIMiddleware`: requests that cannot be for the Swagger UI or the served
  document skip its router (a dozen route matches per request) on a prefix test.
"""

from __future__ import annotations

import asyncio
import functools
import typing as t

import orjson
from connexion import AsyncApp, utils
from connexion.apps.asynchronous import AsyncApi, AsyncOperation
from connexion.context import _context, _operation, _receive, _scope
from connexion.decorators import StarletteDecorator
from connexion.decorators.parameter import CONTEXT_NAME, AsyncParameterDecorator, get_arguments, unwrap_decorators
from connexion.exceptions import OAuthResponseProblem
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.main import API, ConnexionMiddleware
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.middleware.request_validation import logger as validation_logger
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.routing import RoutingAPI, RoutingMiddleware, RoutingOperation
from connexion.middleware.routing import _scope as _routing_scope
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.security import (
    NO_VALUE,
    ApiKeySecurityHandler,
    BasicSecurityHandler,
    BearerSecurityHandler,
    OAuthSecurityHandler,
)
from connexion.utils import inspect_function_arguments, is_json_mimetype
from starlette._utils import get_route_path
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from alertmock.bounded_cache import BoundedCache
from alertmock.framework.speed.argument_plan import ArgumentPlan
from alertmock.framework.speed.exception_layer import LazyExceptionMiddleware
from alertmock.framework.speed.linked_operations import link_operations
from alertmock.framework.speed.parsed_request import NOT_SHARED, SharedParsingRequest, shared_json_body
from alertmock.framework.speed.route_index import IndexedRouter
from alertmock.framework.speed.routed_operation import fuse_operations
from alertmock.framework.speed.spec_check import CheckedSpecification

__all__ = [
    "MIDDLEWARES",
    "MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION",
    "SECURITY_MAP",
    "IndexedRoutingMiddleware",
    "PlannedAsyncApp",
    "PlannedOperation",
    "PlannedParameterDecorator",
    "PlannedRequestValidationMiddleware",
    "PrefixedSwaggerUIMiddleware",
]


class PlannedParameterDecorator(AsyncParameterDecorator):
    def __call__(self, function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))
        sanitize = self.sanitize_fn
        plan: ArgumentPlan | None = None

        @functools.wraps(function)
        async def wrapper(request: ConnexionRequest) -> t.Any:
            nonlocal plan
            # The concrete operation and context, read once (Connexion goes through werkzeug
            # LocalProxy objects a dozen times per request).
            operation = _operation.get()
            if plan is None or plan.operation is not operation:
                plan = ArgumentPlan(operation, arguments, has_kwargs, sanitize)
            body = None
            content_type = None
            if _has_body(request):
                content_type = _mimetype(request)
                if plan.reads_body(content_type):
                    body = await _read_body(request)
            if content_type in FORM_CONTENT_TYPES:
                kwargs = await _form_arguments(operation, request, body, arguments, has_kwargs, sanitize, content_type)
            else:
                if content_type is None and plan.takes_body:
                    content_type = _mimetype(request)
                # Parsing the query string is skipped when the handler takes no query parameter.
                query = request.query_params if plan.reads_query else {}
                kwargs = plan.arguments(request.path_params, query, body, content_type)
            context = _context.get()
            for key, value in context.items():
                if has_kwargs or key in arguments:
                    kwargs[key] = value
            if CONTEXT_NAME in arguments:
                kwargs[CONTEXT_NAME] = context
            return await function(**kwargs)

        return wrapper


async def _form_arguments(
    operation: t.Any,
    request: ConnexionRequest,
    body: t.Any,
    arguments: list[str],
    has_kwargs: bool,
    sanitize: t.Callable[[str], str],
    content_type: str,
) -> dict[str, t.Any]:
    # connexion.decorators.parameter.prep_kwargs, with the operation passed in.
    kwargs = get_arguments(
        operation,
        path_params=request.path_params,
        query_params=request.query_params,
        body=body,
        files=await request.files(),
        arguments=arguments,
        has_kwargs=has_kwargs,
        sanitize=sanitize,
        content_type=content_type,
    )
    return {sanitize(k): v for k, v in kwargs.items()}


# Caches keyed by what clients send (media types) stay small: past this many distinct keys, the
# oldest are forgotten.
_CACHE_LIMIT = 32
# Raw Content-Type header -> its media type, for the few distinct values clients send.
_mimetypes: BoundedCache[bytes | None, str] = BoundedCache(_CACHE_LIMIT)


def _mimetype(request: ConnexionRequest) -> str:
    """`request.mimetype` (the Content-Type without parameters), parsed once per distinct header."""
    raw = next((value for name, value in request.scope["headers"] if name == b"content-type"), None)
    mimetype = _mimetypes.get(raw)
    if mimetype is None:
        mimetype = request.mimetype
        _mimetypes.put(raw, mimetype)
    return mimetype


def _has_body(request: ConnexionRequest) -> bool:
    # The raw ASGI headers (lower-case names): no Headers object for a question asked of every request.
    chunked = False
    for name, value in request.scope["headers"]:
        if name == b"content-length":
            return value not in (b"", b"0")
        if name == b"transfer-encoding":
            chunked = True
    return chunked


# Raw Content-Type header -> whether it is JSON, as `is_json_mimetype` says of the header.
_json_types: BoundedCache[bytes | None, bool] = BoundedCache(_CACHE_LIMIT)


def _is_json(request: ConnexionRequest) -> bool:
    raw = next((value for name, value in request.scope["headers"] if name == b"content-type"), None)
    return _json_types.lookup(raw, lambda: is_json_mimetype(request.content_type))


async def _read_body(request: ConnexionRequest) -> t.Any:
    if _is_json(request):
        shared = shared_json_body(request.scope)  # parsed once, by the body validator
        if shared is not NOT_SHARED:
            return shared
        raw = await request.body()
        if not raw:
            return None
        try:
            # The request validator has already parsed (and refused malformed) JSON with orjson.
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
    if request.mimetype in FORM_CONTENT_TYPES:
        return await request.form()
    return await request.body() or None


class PlannedDecorator(StarletteDecorator):
    """Builds the decorator chain once; only the request object is made per call."""

    _parameter_decorator_cls = PlannedParameterDecorator  # type: ignore[assignment]

    @property
    def _sync_async_decorator(self) -> t.Callable[[t.Callable[..., t.Any]], t.Callable[..., t.Any]]:
        # Connexion's wrapper asks `asyncio.iscoroutinefunction` of the handler on every call; the
        # answer never changes, and for a coroutine function the wrapper only awaits it: the
        # handler itself is then the same thing, one frame and one inspection less per request.
        synchronous = super()._sync_async_decorator

        def decorator(function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
            return function if asyncio.iscoroutinefunction(function) else synchronous(function)

        return decorator

    def __call__(self, function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        decorated = self.decorate(function)
        uri_parser = None

        @functools.wraps(function)
        async def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            nonlocal uri_parser
            if uri_parser is None:
                # Needs the operation, known from the first request's context on.
                uri_parser = self.uri_parser
            # Reads the query the parameter validator parsed (alertmock/framework/speed/parsed_request.py).
            request = SharedParsingRequest(_scope.get(), _receive.get(), uri_parser=uri_parser)
            return await decorated(request)

        return wrapper


class PlannedOperation(AsyncOperation):
    @functools.cached_property
    def fn(self) -> t.Callable[..., t.Any]:  # type: ignore[override]
        return PlannedDecorator(pythonic_params=self.pythonic_params, jsonifier=self.jsonifier)(self._fn)


class PlannedAsyncApi(AsyncApi):
    def make_operation(self, operation: t.Any) -> AsyncOperation:
        return PlannedOperation.from_operation(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )


class _SignatureOnce:
    # The info functions never change: what each accepts is asked once, when it is wrapped.

    def _generic_check(self, func: t.Callable[..., t.Any], exception_msg: str) -> t.Callable[..., t.Any]:
        # Connexion's `AbstractSecurityHandler._generic_check`, with `_accepts_kwarg` (which inspects
        # the signature) asked here, when the function is wrapped, instead of twice per request.
        accepts = self._accepts_kwarg  # type: ignore[attr-defined]
        scopes_kw = self.required_scopes_kw if accepts(func, self.required_scopes_kw) else None  # type: ignore[attr-defined]
        request_kw = self.request_kw if accepts(func, self.request_kw) else None  # type: ignore[attr-defined]

        async def wrapper(request: t.Any, *args: t.Any, required_scopes: t.Any = None) -> t.Any:
            kwargs = {}
            if scopes_kw is not None:
                kwargs[scopes_kw] = required_scopes
            if request_kw is not None:
                kwargs[request_kw] = request
            token_info = func(*args, **kwargs)
            while asyncio.iscoroutine(token_info):
                token_info = await token_info
            if token_info is NO_VALUE:
                return NO_VALUE
            if token_info is None:
                raise OAuthResponseProblem(detail=exception_msg)
            return token_info

        return wrapper


class CachedBasicSecurityHandler(_SignatureOnce, BasicSecurityHandler):
    pass


class CachedBearerSecurityHandler(_SignatureOnce, BearerSecurityHandler):
    pass


class CachedApiKeySecurityHandler(_SignatureOnce, ApiKeySecurityHandler):
    pass


class CachedOAuthSecurityHandler(_SignatureOnce, OAuthSecurityHandler):
    pass


SECURITY_MAP = {
    "basic": CachedBasicSecurityHandler,
    "bearer": CachedBearerSecurityHandler,
    "apiKey": CachedApiKeySecurityHandler,
    "oauth2": CachedOAuthSecurityHandler,
}


class PlannedRequestValidationOperation(RequestValidationOperation):
    """Connexion's `RequestValidationOperation.__call__`, with its per-operation lookups cached."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._parameter_validator: t.Any = None
        self._body_uri_parser: t.Any = None
        self._accepted: BoundedCache[str, bool] = BoundedCache(_CACHE_LIMIT)
        self._bodies: BoundedCache[str, tuple[t.Any, t.Any, bool, bool]] = BoundedCache(_CACHE_LIMIT)
        self._content_types: BoundedCache[bytes | None, tuple[str, str]] = BoundedCache(_CACHE_LIMIT)

    def _plan_parameters(self) -> t.Any:
        operation = self._operation
        uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
        self._body_uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        self._parameter_validator = self._validator_map["parameter"](
            operation.parameters,
            uri_parser=uri_parser,
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )
        return self._parameter_validator

    def extract_content_type(self, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
        # Connexion's version decodes every header name and evaluates a `typing` subscript per call.
        raw = next((value for name, value in headers if name == b"content-type"), None)
        extracted = self._content_types.get(raw)
        if extracted is None:
            extracted = super().extract_content_type([(b"content-type", raw)] if raw is not None else [])
            self._content_types.put(raw, extracted)
        return extracted

    def validate_mime_type(self, mime_type: str) -> None:
        accepted = self._accepted.get(mime_type)
        if accepted is None:
            try:
                super().validate_mime_type(mime_type)
                accepted = True
            except Exception:
                accepted = False
            self._accepted.put(mime_type, accepted)
        if not accepted:
            super().validate_mime_type(mime_type)  # raises Connexion's own 415 problem

    def _body_plan(self, mime_type: str) -> tuple[t.Any, t.Any, bool, bool]:
        plan = self._bodies.get(mime_type)
        if plan is None:
            operation = self._operation
            schema = operation.body_schema(mime_type)
            validator_cls = None
            if schema:
                try:
                    validator_cls = self._validator_map["body"][mime_type]
                except KeyError:
                    validator_cls = None
            required = operation.request_body.get("required", False)
            nullable = utils.is_nullable(operation.body_definition(mime_type)) if schema else False
            plan = (schema, validator_cls, required, nullable)
            self._bodies.put(mime_type, plan)
        return plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        receive, scope = await self.validated(scope, receive)
        await self.next_app(scope, receive, send)

    async def validated(self, scope: Scope, receive: Receive) -> tuple[Receive, Scope]:
        """Validate the request; the receive and scope to hand on (a checked body is replayed)."""
        (self._parameter_validator or self._plan_parameters()).validate(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        schema, validator_cls, required, nullable = self._body_plan(mime_type)
        if schema:
            if validator_cls is None:
                validation_logger.info(f"Skipping validation. No validator registered for content type: {mime_type}.")
            else:
                validator = validator_cls(
                    schema=schema,
                    required=required,
                    nullable=nullable,
                    encoding=encoding,
                    strict_validation=self.strict_validation,
                    uri_parser=self._body_uri_parser,
                )
                receive, scope = await validator.wrap_receive(receive, scope=scope)
        return receive, scope


class PlannedRequestValidationAPI(RequestValidationAPI):
    def make_operation(self, operation: t.Any) -> RequestValidationOperation:
        return PlannedRequestValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class PlannedRequestValidationMiddleware(RequestValidationMiddleware):
    api_cls = PlannedRequestValidationAPI


class PrefixedSwaggerUIMiddleware(SwaggerUIMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._prefixes: tuple[str, ...] = ()

    def add_api(
        self, specification: t.Any, base_path: str | None = None, arguments: t.Any = None, **kwargs: t.Any
    ) -> None:
        super().add_api(specification, base_path=base_path, arguments=arguments, **kwargs)
        prefixes = set(self._prefixes)
        for mount in self.router.routes:
            for route in getattr(mount, "routes", None) or [mount]:
                prefixes.add(getattr(mount, "path", "") + getattr(route, "path", "").split("{")[0])
        # An empty prefix would match every path: then nothing is skipped, as in Connexion.
        self._prefixes = tuple(sorted(prefixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self._prefixes):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class IndexedRoutingAPI(RoutingAPI):
    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        # Connexion has filled its plain router; the same routes, in the same order, indexed.
        self.router = IndexedRouter(routes=self.router.routes, default=self.router.default)


class IndexedRoutingMiddleware(RoutingMiddleware):
    """`RoutingMiddleware` with a path to the root API's router that remembers what it matched.

    A request for the root API (not under an earlier mount) is matched on the indexed router's
    narrowed routes (`IndexedRouter.full_match`), and the match remembered per (method, path):
    the same route and converted path parameters, whatever else the request carries. It then
    leaves in the scope what Starlette's router and Connexion's `RoutingOperation` leave, and
    hands the request to the operation's `RoutedOperation` (alertmock/framework/speed/routed_operation.py)
    when one was fused, else where the `RoutingOperation` would. Anything without a full match
    (404, 405, redirects, a chained API) is routed by the router itself, as before.
    """

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._root_router: IndexedRouter | None = None
        self._earlier: tuple[str, ...] = ()
        self._root_base_path = ""
        self._matched: BoundedCache[tuple[str, str], _Matched] = BoundedCache(_MATCHES_LIMIT)
        self._fused: dict[str, ASGIApp] = {}

    def fuse(self, validation_cls: type) -> int:
        """Fuse the root API's operations (once the stack is built and linked); how many were."""
        self._fused = {}
        if self._root_router is not None:
            self._fused = fuse_operations(self._root_router.routes, self._root_base_path, validation_cls)
        self._matched.clear()
        return len(self._fused)

    def add_api(
        self, specification: t.Any, base_path: str | None = None, arguments: t.Any = None, **kwargs: t.Any
    ) -> None:
        # `RoutingMiddleware.add_api` with the indexed API class (Connexion names its class inline).
        api = IndexedRoutingAPI(specification, base_path=base_path, arguments=arguments, next_app=self.app, **kwargs)
        for route in self.router.routes:
            if isinstance(route, Mount) and route.path == api.base_path:
                route.app.default = api.router
        self.router.mount(api.base_path, app=api.router)
        self._matched.clear()
        # The outer router holds one Mount per API, in order: the controls' `/__mock`, then `""`
        # for the vendors' contract, which matches every other path. A request that is not under
        # an earlier mount goes straight to the root API's router instead of matching mounts.
        self._root_router, self._earlier = None, ()
        earlier: list[str] = []
        for mount in self.router.routes:
            if not isinstance(mount, Mount) or "{" in mount.path:
                break
            if not mount.path:
                self._root_router, self._earlier = mount.app, tuple(earlier)
                self._root_base_path = mount.path
                break
            earlier.append(mount.path + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._root_router is None:
            await super().__call__(scope, receive, send)
            return
        route_path = get_route_path(scope)
        if route_path.startswith(self._earlier):
            await super().__call__(scope, receive, send)
            return
        key = (scope["method"], route_path)
        matched = self._matched.get(key)
        if matched is None:
            matched = self._match(scope, route_path, key)
            if matched is None:
                _routing_scope.set(scope.copy())  # as `RoutingMiddleware.__call__` does before routing
                await self._root_router(scope, receive, send)
                return
        router, route, params, operation_id, target = matched
        routed = scope.copy()  # what `RoutingMiddleware.__call__` keeps and passes on
        # What Starlette's `Router.app` and `Route.matches` leave in the request's scope ...
        if "router" not in scope:
            scope["router"] = router
        scope["route"] = route
        scope["endpoint"] = route.endpoint  # type: ignore[attr-defined]
        path_params = dict(scope.get("path_params", {}))
        path_params.update(params)
        scope["path_params"] = path_params
        # ... and what `RoutingOperation.__call__` adds to the scope it passes on: the root API's
        # base path is "" (no mount), the root paths being the request's own on both sides.
        routed.setdefault("path_params", {}).update(path_params)
        routing = routed.setdefault("extensions", {}).setdefault(ROUTING_CONTEXT, {})
        routing.update({"api_base_path": "", "operation_id": operation_id})
        await target(routed, receive, send)

    def _match(self, scope: Scope, route_path: str, key: tuple[str, str]) -> _Matched | None:
        found = self._root_router.full_match(scope, route_path)  # type: ignore[union-attr]
        if found is None or not isinstance(found.route.endpoint, RoutingOperation):  # type: ignore[attr-defined]
            return None
        operation: RoutingOperation = found.route.endpoint  # type: ignore[attr-defined]
        target = self._fused.get(operation.operation_id) or operation.next_app  # type: ignore[arg-type]
        matched = _Matched(found.router, found.route, found.params, operation.operation_id, target)
        if len(route_path) <= _LONGEST_MATCHED:
            self._matched.put(key, matched)
        return matched


class _Matched(t.NamedTuple):
    router: t.Any
    route: t.Any
    params: dict[str, t.Any]
    operation_id: str | None
    target: ASGIApp


# (method, path) matches remembered: paths carry ids, so bounded, and long ones are not kept.
_MATCHES_LIMIT = 1024
_LONGEST_MATCHED = 1024


_REPLACED_MIDDLEWARES = {
    SwaggerUIMiddleware: PrefixedSwaggerUIMiddleware,
    RoutingMiddleware: IndexedRoutingMiddleware,
    RequestValidationMiddleware: PlannedRequestValidationMiddleware,
}
MIDDLEWARES = [_REPLACED_MIDDLEWARES.get(m, m) for m in ConnexionMiddleware.default_middlewares]
# Without response validation (the default when serving), its layer would only pass every request on.
MIDDLEWARES_WITHOUT_RESPONSE_VALIDATION = [m for m in MIDDLEWARES if m is not ResponseValidationMiddleware]


class PlannedAsyncApp(AsyncApp):
    """`AsyncApp` with the per-request invariants computed once (see the module docstring).

    `security_map` defaults to the cached handlers and `middlewares` to `MIDDLEWARES`: Connexion's,
    with the prefixed Swagger UI, the indexed routing and the planned request validation
    (`create_app` leaves out response validation unless asked). APIs are added as loaded documents
    (dicts), validated through `alertmock.framework.speed.spec_check`.
    """

    def __init__(self, import_name: str, **kwargs: t.Any) -> None:
        kwargs.setdefault("security_map", SECURITY_MAP)
        kwargs.setdefault("middlewares", list(MIDDLEWARES))
        super().__init__(import_name, **kwargs)
        self._middleware_app.api_cls = PlannedAsyncApi
        # The stack is built on the first request (or the lifespan start-up): link its routed
        # layers' operations then (alertmock/framework/speed/linked_operations.py).
        middleware = self.middleware
        build = middleware._build_middleware_stack

        def build_linked() -> tuple[ASGIApp, t.Iterable[ASGIApp]]:
            # Connexion's exception layer, lazier (alertmock/framework/speed/exception_layer.py), swapped in
            # only now: `add_middleware` finds positions by the exact classes until the stack is built.
            middleware.middlewares = [
                LazyExceptionMiddleware if layer is ExceptionMiddleware else layer for layer in middleware.middlewares
            ]
            app, stack = build()
            stack = list(stack)
            link_operations(stack)
            # Then each root API operation's linked layers, fused (alertmock/framework/speed/routed_operation.py).
            for layer in stack:
                if isinstance(layer, IndexedRoutingMiddleware):
                    layer.fuse(PlannedRequestValidationOperation)
            return app, stack

        middleware._build_middleware_stack = build_linked  # type: ignore[method-assign]

    def add_api(self, specification: dict[str, t.Any], *, base_path: str | None = None, **options: t.Any) -> None:  # type: ignore[override]
        """`ConnexionMiddleware.add_api` for an already loaded document, checked by `CheckedSpecification`.

        Connexion's own `add_api` builds its `Specification` inline, validating it the slow way
        (alertmock/framework/speed/spec_check.py); this registers the API the same way with the checked one.
        """
        middleware = self.middleware
        if middleware.middleware_stack is not None:
            raise RuntimeError("Cannot add api after an application has started")
        api_options = middleware.options.replace(**options)
        specification_ = CheckedSpecification(specification)
        middleware.apis.append(API(specification_, base_path=base_path, **api_options.__dict__))
