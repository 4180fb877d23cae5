"""From operationId to handler: the handler named by the contract, or the contract's own answer.

Every handler is wrapped so that a request whose preferences choose the response
(``Prefer: code=…``) is answered from the contract without reaching it. An operationId whose
module or function does not exist yet is answered from the contract too, so adding an operation
to the contract makes it answer at once; a module that exists but fails to import is a bug and
still fails loudly.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from connexion.resolver import Resolver
from starlette.responses import Response

from alertmock.app.context import current_preferences, current_runtime
from alertmock.contract.canned import canned_response

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


class HandlerResolver(Resolver):
    def __init__(self) -> None:
        super().__init__(function_resolver=self._resolve)
        self.fallbacks: list[str] = []
        # Connexion resolves each operation once per middleware layer: resolve it once.
        self._resolved: dict[str, Handler] = {}

    def _resolve(self, operation_id: str) -> Handler:
        if operation_id not in self._resolved:
            handler = self._import(operation_id)
            if handler is None:
                self.fallbacks.append(operation_id)
                logger.info("no handler for %s: answering from the contract", operation_id)
                handler = _from_contract(operation_id)
            self._resolved[operation_id] = _honouring_preferences(operation_id, handler)
        return self._resolved[operation_id]

    @staticmethod
    def _import(operation_id: str) -> Handler | None:
        module_name, _, name = operation_id.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                raise
            return None
        return getattr(module, name, None)


def _from_contract(operation_id: str) -> Handler:
    async def answer_from_contract(**_: Any) -> Response:
        return canned_response(current_runtime().contract.operations[operation_id])

    answer_from_contract.__name__ = operation_id.rpartition(".")[2]
    return answer_from_contract


def _honouring_preferences(operation_id: str, handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def handle(*args: Any, **kwargs: Any) -> Any:
        preferences = current_preferences()
        if preferences is not None and preferences.chooses_response:
            return canned_response(current_runtime().contract.operations[operation_id], preferences)
        return await handler(*args, **kwargs)

    return handle
