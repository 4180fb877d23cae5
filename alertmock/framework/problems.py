"""Connexion's problems in, the engine's answers out: the exception side of the adapter.

Connexion raises `ProblemException`s (401 from security, 400 from its validators, 415) and its
app calls the error handlers registered with `add_error_handler` expecting a `ConnexionResponse`.
The engine knows neither: `problem_of` reads a problem's status and message, and
`connexion_error_handler` wraps the engine's renderer for Connexion.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["HANDLED", "connexion_error_handler", "problem_of"]

# What the engine's error handler is registered for: its own errors are added by the caller.
HANDLED: tuple[type[Exception], ...] = (ProblemException,)


def problem_of(exc: Exception) -> tuple[int, str] | None:
    """A Connexion problem's status and message; None for any other exception."""
    if isinstance(exc, ProblemException):
        return exc.status, str(exc.detail or exc.title or "")
    return None


def connexion_error_handler(
    render: Callable[[Request, Exception], Response],
) -> Callable[[Request, Exception], Awaitable[ConnexionResponse]]:
    """An error handler for `AsyncApp.add_error_handler` answering what `render` answers."""

    async def handle(request: Request, exc: Exception) -> ConnexionResponse:
        response = render(request, exc)
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
        return ConnexionResponse(
            status_code=response.status_code,
            mimetype=response.headers.get("content-type"),
            body=response.body,
            headers=headers,
        )

    return handle
