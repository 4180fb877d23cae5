"""Answers for operations whose handler does not exist yet: the contract's own examples.

An operationId whose module or function cannot be found resolves to a fallback instead of
failing start-up, so adding an operation to the contract makes it answer at once. A module
that exists but fails to import is a bug and still fails loudly.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from connexion.resolver import Resolver
from starlette.responses import Response

from alertmock.context import current_runtime
from alertmock.negotiation import respond

logger = logging.getLogger(__name__)


class FallbackResolver(Resolver):
    def __init__(self) -> None:
        super().__init__(function_resolver=self._resolve)
        self.fallbacks: list[str] = []
        self._fallback_handlers: dict[str, Callable[..., Any]] = {}

    def _resolve(self, operation_id: str) -> Callable[..., Any]:
        module_name, _, name = operation_id.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                raise
            return self._fallback(operation_id)
        function = getattr(module, name, None)
        return function if function is not None else self._fallback(operation_id)

    def _fallback(self, operation_id: str) -> Callable[..., Any]:
        # Connexion resolves each operation once per middleware layer; record it once.
        if operation_id in self.fallbacks:
            return self._fallback_handlers[operation_id]
        self.fallbacks.append(operation_id)
        logger.info("no handler for %s: answering from the contract's examples", operation_id)

        async def answer_from_examples(**_: Any) -> Response:
            return example_response(operation_id)

        answer_from_examples.__name__ = operation_id.rpartition(".")[2]
        self._fallback_handlers[operation_id] = answer_from_examples
        return answer_from_examples


def example_response(operation_id: str, status: int | None = None) -> Response:
    """The first example of the lowest documented 2xx (or of `status`), in the negotiated format."""
    operation = current_runtime().contract.operations[operation_id]
    statuses = [status] if status is not None else sorted(int(s) for s in operation.responses if s.startswith("2"))
    for code in statuses:
        response = operation.response(code)
        if response is None:
            continue
        for media in response.content:
            examples = response.examples(media)
            if examples:
                return respond(next(iter(examples.values())), code)
        return respond(None, code)
    return respond(None, 200)
