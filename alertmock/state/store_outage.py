"""The state store going away (Redis stopped, restarted, unreachable), as clients and logs see it.

A shared backend raises `StoreUnavailableError` for any call the store cannot answer: an
`ApiError`, so whatever layer it escapes from (the engine's middleware, a handler, the error
boundary) it is rendered like any other error, in the vendor's error form, as a 503 naming the
state store with a ``Retry-After``, never a 500 with a traceback. `Outage` turns a stream of
failing calls into two log lines, one when the store goes away and one when it answers again,
instead of one per request.
"""

from __future__ import annotations

import logging

from alertmock.errors import ApiError

logger = logging.getLogger("alertmock.state")

RETRY_AFTER_SECONDS = 1


class StoreUnavailableError(ApiError):
    status = 503
    reason = "Service Unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The mock's state store (Redis) is unavailable: {detail}. Retry shortly.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


class Outage:
    """Whether the store answered the last call; logs each change once."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.down = False

    def failed(self, error: BaseException) -> StoreUnavailableError:
        if not self.down:
            self.down = True
            logger.error(
                "state store %s unavailable (%s: %s): answering 503 until it returns",
                self.where,
                type(error).__name__,
                error,
            )
        return StoreUnavailableError(type(error).__name__)

    def answered(self) -> None:
        if self.down:
            self.down = False
            logger.warning("state store %s reachable again: serving", self.where)
