"""What Connexion's routing leaves in a request's scope, read and written in one place.

Connexion's routing layer puts the matched operation's id under ``scope["extensions"]`` (its
``ROUTING_CONTEXT`` key). The engine's layers (the journal, the error boundary, handlers'
`current_operation()`) need that id without importing Connexion, which a handler's import of
`alertmock` must not do; this module holds the key as data and is checked against Connexion's own
constant by `tests/framework/test_adapter.py`.
"""

from __future__ import annotations

from starlette.types import Scope

__all__ = ["ROUTING_KEY", "routed_operation_id", "set_routed_operation_id"]

ROUTING_KEY = "connexion_routing"
_NONE: dict[str, object] = {}


def routed_operation_id(scope: Scope) -> str | None:
    """The operation the request was routed to (None before routing, or when nothing matched)."""
    routing = scope.get("extensions", _NONE).get(ROUTING_KEY)
    return routing.get("operation_id") if routing else None


def set_routed_operation_id(scope: Scope, operation_id: str) -> None:
    """Mark the request as routed to `operation_id`, as Connexion's routing does."""
    scope.setdefault("extensions", {}).setdefault(ROUTING_KEY, {})["operation_id"] = operation_id
