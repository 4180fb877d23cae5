"""POST /v1/tokens/exchange: the API token (HTTP Basic) for a bearer JWT, as the official clients do first."""

from __future__ import annotations

from alertmock import Response, respond
from handlers.scalingo.auth import issue_token


async def exchange_token(user: str) -> Response:
    return respond({"token": issue_token(user)})
