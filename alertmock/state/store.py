"""The state seam: what a handler may ask of its session's data, whatever holds it.

A session's data is a set of collections: a kind (``"<vendor>.<kind>"``) mapping ids to JSON-able
dict records, in insertion order. Every method is async so that a backend may live in another
process (Redis, for several workers or replicas); the in-memory backend never really awaits.
Handlers only ever see this interface, through `alertmock.current_state()`.

`list` and `count` take ``where={"field": value}`` (one field, a dotted path such as
``"subscriber.id"``, a string value): the backend keeps an index per such field, maintained on
put and delete, so that listing a parent's children (a site's alerts) costs in proportion to the
page asked for, not to the whole collection.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

Record = dict[str, Any]
Snapshot = dict[str, list[Record]]
Where = Mapping[str, str]

DEFAULT_COLLECTION_CAP = 10_000
DEFAULT_MAX_SESSIONS = 100
DEFAULT_SESSION_IDLE_SECONDS = 3600.0
DEFAULT_SESSION = "default"


class State(ABC):
    """One session's data. Treat what `get` and `list` return as read-only."""

    @abstractmethod
    async def get(self, kind: str, id: str) -> Record | None: ...

    @abstractmethod
    async def list(
        self, kind: str, *, where: Where | None = None, offset: int = 0, limit: int | None = None
    ) -> list[Record]:
        """Records of `kind` (those matching `where`), oldest first, from `offset`, at most `limit`."""

    @abstractmethod
    async def count(self, kind: str, *, where: Where | None = None) -> int: ...

    @abstractmethod
    async def put(self, kind: str, id: str, record: Record) -> Record:
        """Insert or replace; a replaced record keeps its place in the order."""

    @abstractmethod
    async def delete(self, kind: str, id: str) -> Record | None: ...

    @abstractmethod
    async def kinds(self) -> list[str]: ...

    @abstractmethod
    async def export(self) -> Snapshot: ...

    @abstractmethod
    async def load(self, snapshot: Mapping[str, list[Record]]) -> None:
        """Replace every collection with `snapshot`'s."""

    async def settle(self) -> None:
        """Before the answer starts: apply the writes held back (an optimistic backend's state
        opened with ``writing=True``), or raise `RetryHoldingLock`."""
        return None


class RetryHoldingLock(BaseException):
    """What a request read changed before its writes could be applied (another request wrote
    it): nothing was written, and the engine runs the request again holding `Sessions.writing`.
    A BaseException so that no handler or framework layer turns it into an error answer."""


class Sessions(ABC):
    """Named states, each created from the fixtures on first use; bounded in number and idle time."""

    # Whether `open(writing=True)` gives a state that holds the request's writes until `settle`,
    # applied there only if what the request read is unchanged (else `RetryHoldingLock`).
    optimistic = False

    @abstractmethod
    async def open(self, name: str = DEFAULT_SESSION, *, writing: bool = False) -> State:
        """The session's state, created if new; marks the session as used now. `writing`: for a
        request that may write (with an `optimistic` backend: its writes wait for `settle`)."""

    @abstractmethod
    async def reset(self, name: str = DEFAULT_SESSION) -> State:
        """Back to the fixtures."""

    @abstractmethod
    async def names(self) -> list[str]: ...

    @abstractmethod
    def writing(self, name: str) -> AbstractAsyncContextManager[None]:
        """Held around a request that may write: its read-modify-write is atomic for the session."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections (at shutdown)."""

    async def first_to(self, what: str) -> bool:
        """Whether this process is the first of all that share the state to do `what` (load the
        state file: a second worker, or one restarted after a crash, must not load it over what
        the mock has been answering since). One process alone always is."""
        return True


def where_field(where: Where) -> tuple[str, str]:
    """The one (field, value) of a `where`."""
    if len(where) != 1:
        raise ValueError(f"where takes exactly one field, got {dict(where)!r}")
    ((field, value),) = where.items()
    if not isinstance(value, str):
        raise TypeError(f"where values are strings, got {value!r} for {field}")
    return field, value


def field_value(record: Record, path: str) -> str | None:
    """The string at a dotted `path` of `record` (None if absent or not a string: not indexed)."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value if isinstance(value, str) else None
