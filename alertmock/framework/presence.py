"""Security handlers that ask only whether credentials of the documented kind are there.

The proxy cannot judge a real service's tokens (that is the service's job, and it answers 401
itself); what the contract does say is which credentials an operation needs. These are Connexion's
own handlers (they find the ``Authorization`` scheme, the API key's header, query or cookie, and
combine the alternatives of an operation's ``security``), with every info function replaced by one
that accepts whatever was sent.
"""

from __future__ import annotations

from typing import Any

from connexion.security import (
    ApiKeySecurityHandler,
    BasicSecurityHandler,
    BearerSecurityHandler,
    OAuthSecurityHandler,
)

__all__ = ["PRESENCE_SECURITY_MAP"]


def _present(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return {"sub": "credentials present (not verified by the proxy)"}


class _PresenceOnly:
    def _resolve_func(self, security_scheme: dict[str, Any]) -> Any:
        return _present


class PresenceBasicHandler(_PresenceOnly, BasicSecurityHandler):
    pass


class PresenceBearerHandler(_PresenceOnly, BearerSecurityHandler):
    pass


class PresenceApiKeyHandler(_PresenceOnly, ApiKeySecurityHandler):
    pass


class PresenceOAuthHandler(_PresenceOnly, OAuthSecurityHandler):
    def get_tokeninfo_func(self, security_definition: dict[str, Any]) -> Any:
        return _present

    @classmethod
    def get_scope_validate_func(cls, security_definition: dict[str, Any]) -> Any:
        return lambda required_scopes, token_scopes: True


PRESENCE_SECURITY_MAP = {
    "basic": PresenceBasicHandler,
    "bearer": PresenceBearerHandler,
    "apiKey": PresenceApiKeyHandler,
    "oauth2": PresenceOAuthHandler,
}
