"""The one cache the engine and its shims use for what they remember between requests.

Everything remembered is either derived from the contract (schemas, operations: few) or keyed by
what clients send (media types, query strings, path prefixes: endless under a fuzzer), so every
cache is bounded, with one policy: past `limit` entries, a new entry evicts the oldest. Reads are
one dict lookup.

Schemas are dicts, which can be neither hashed nor weakly referenced: `IdentityCache` keys them by
identity and keeps each one alive in its entry, so no id can be reused by another object while an
entry for it exists, and the bound keeps what it holds alive small.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Hashable

__all__ = ["BoundedCache", "IdentityCache"]

K = t.TypeVar("K", bound=Hashable)
V = t.TypeVar("V")
_MISSING: t.Any = object()


class BoundedCache(t.Generic[K, V]):
    """A dict of at most `limit` entries; adding one past that evicts the oldest."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a cache holds at least one entry")
        self.limit = limit
        self._entries: dict[K, V] = {}
        if type(self).get is BoundedCache.get:
            # The dict's own method in the instance, shadowing `get` below: a read (a dozen per
            # request) is one call into C, not a Python frame around it. A subclass's `get` stays.
            self.get = self._entries.get  # type: ignore[method-assign]

    def get(self, key: K, default: t.Any = None) -> t.Any:
        return self._entries.get(key, default)

    def put(self, key: K, value: V) -> V:
        entries = self._entries
        if key not in entries and len(entries) >= self.limit:
            del entries[next(iter(entries))]
        entries[key] = value
        return value

    def lookup(self, key: K, build: Callable[[], V]) -> V:
        """The value for `key`, built and remembered on first use."""
        value = self._entries.get(key, _MISSING)
        if value is _MISSING:
            value = self.put(key, build())
        return value  # type: ignore[no-any-return]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


class IdentityCache(t.Generic[V]):
    """Values per object identity (and hashable extras), for unhashable objects such as schemas."""

    __slots__ = ("_cache",)

    def __init__(self, limit: int) -> None:
        self._cache: BoundedCache[tuple[t.Any, ...], tuple[object, V]] = BoundedCache(limit)

    def get(self, obj: object, *extra: Hashable, default: t.Any = None) -> t.Any:
        # The entry holds `obj`, so while it exists no other object can have this id.
        entry = self._cache.get((id(obj), *extra))
        return default if entry is None else entry[1]

    def put(self, obj: object, value: V, *extra: Hashable) -> V:
        self._cache.put((id(obj), *extra), (obj, value))
        return value

    def lookup(self, obj: object, build: Callable[[], V], *extra: Hashable) -> V:
        """The value for `obj`, built and remembered on first use."""
        key = (id(obj), *extra)
        entry = self._cache.get(key)
        if entry is None:
            entry = self._cache.put(key, (obj, build()))
        return entry[1]

    def clear(self) -> None:
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)
