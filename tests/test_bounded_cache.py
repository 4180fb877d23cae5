"""The one cache of the engine and its shims: bounded, oldest out first, schemas by identity."""

from __future__ import annotations

import gc
import weakref

from alertmock.bounded_cache import BoundedCache, IdentityCache


def test_past_its_limit_the_oldest_entry_goes() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)  # replacing is not adding
    cache.put("c", 3)
    assert len(cache) == 2
    assert "a" not in cache
    assert (cache.get("b"), cache.get("c")) == (2, 3)


def test_lookup_builds_once_even_a_none() -> None:
    cache: BoundedCache[str, int | None] = BoundedCache(4)
    built: list[str] = []

    def build() -> None:
        built.append("x")

    assert cache.lookup("k", build) is None
    assert cache.lookup("k", build) is None
    assert built == ["x"]


class Schema(dict):  # type: ignore[type-arg]
    """A dict that can be weakly referenced, to watch its lifetime."""


def test_equal_schemas_are_different_keys_and_stay_alive_while_cached() -> None:
    cache: IdentityCache[str] = IdentityCache(8)
    first, second = Schema(type="string"), Schema(type="string")
    cache.put(first, "first")
    cache.put(second, "second", "extra")
    assert cache.get(first) == "first"
    assert cache.get(second) is None  # another key: the extras are part of it
    assert cache.get(second, "extra") == "second"
    watched = weakref.ref(first)
    del first
    gc.collect()
    # The entry holds its schema: no new object can take the id while the entry exists.
    assert watched() is not None
    cache.clear()
    gc.collect()
    assert watched() is None


def test_an_identity_cache_is_bounded_so_it_keeps_few_objects_alive() -> None:
    cache: IdentityCache[int] = IdentityCache(3)
    for n in range(100):
        cache.put({"n": n}, n)
    assert len(cache) == 3


def test_a_subclass_that_reads_otherwise_is_asked() -> None:
    # Reads go straight to the dict, except in a subclass that says how to read.
    class Shouting(BoundedCache[str, str]):
        def get(self, key: str, default: object = None) -> object:
            return super().get(key.lower(), default)

    cache = Shouting(2)
    cache.put("a", "x")
    assert cache.get("A") == "x" and BoundedCache[str, str](2).get("A", "none") == "none"
