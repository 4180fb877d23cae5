"""What a served app does when the server starts and stops (the ASGI lifespan).

Start-up loads the ``--state-file`` (if any), then marks the app ready (``/__mock/ready``).
Shutdown runs after the server has stopped accepting connections and finished the requests in
flight (uvicorn's ``timeout_graceful_shutdown`` bounds that wait): the app stops being ready,
saves every session to the state file and closes the store. A test client used without ``with`` runs neither.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from alertmock.app.context import Runtime
from alertmock.state.state_file import load_sessions, save_sessions
from alertmock.state.store_outage import StoreUnavailableError

logger = logging.getLogger(__name__)


def lifespan(runtime: Runtime) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    state_file = runtime.config.state_file

    @asynccontextmanager
    async def run(_app: Any) -> AsyncIterator[None]:
        if state_file is not None and await runtime.sessions.first_to(f"load {state_file}"):
            loaded = await load_sessions(runtime.sessions, state_file)
            logger.warning("alertmock: %d session(s) loaded from %s", loaded, state_file)
        runtime.ready = True
        try:
            yield
        finally:
            runtime.ready = False
            if state_file is not None:
                try:
                    saved = await save_sessions(runtime.sessions, state_file)
                except StoreUnavailableError:
                    # The file keeps what it held: better than nothing written over it.
                    logger.error("alertmock: the state store is unreachable: %s left as it was", state_file)
                else:
                    logger.warning("alertmock: %d session(s) saved to %s", saved, state_file)
            await runtime.sessions.close()  # a shared backend's connections

    return run
