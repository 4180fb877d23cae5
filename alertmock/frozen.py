"""Answer bodies that never change, so that what is derived from them may be kept.

A handler that keeps a record's wire form between requests (while the record is the same object:
records are replaced on write, never changed in place) answers the same object again and again.
`freeze` makes that object immutable all the way down, which lets a serialiser remember what it
wrote for it (`alertmock.contract.xml` keeps each `Frozen`'s XML on the object) instead of writing it on
every request. Serialised, a `Frozen` is its dict and a `FrozenList` its list, byte for byte
(orjson writes dict and list subclasses as such).
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["Frozen", "FrozenList", "freeze"]

# What a frozen value may hold: immutable scalars and frozen containers.
_SCALARS = (str, int, float, bool, type(None))


def _refuse(*_: Any, **__: Any) -> NoReturn:
    raise TypeError("a frozen answer body cannot be changed")


class Frozen(dict[str, Any]):
    """A dict that cannot change (nor can anything in it); build one with `freeze`."""

    # `written`: what serialisers made of it, by serialiser (alertmock.contract.xml: writer -> XML text).
    __slots__ = ("written",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value in self.values():
            _check(value)
        self.written: dict[Any, str] | None = None

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __copy__(self) -> Frozen:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Frozen:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Frozen, (dict(self),))


class FrozenList(list[Any]):
    """A list that cannot change (nor can anything in it); build one with `freeze`."""

    __slots__ = ()

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        for value in self:
            _check(value)

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = clear = extend = insert = pop = remove = reverse = sort = _refuse  # type: ignore[assignment]

    def __copy__(self) -> FrozenList:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenList:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenList, (list(self),))


def _check(value: Any) -> None:
    if not isinstance(value, (*_SCALARS, Frozen, FrozenList)):
        raise TypeError(f"a frozen body holds scalars and frozen containers, not {type(value).__name__}")


def freeze(data: Any) -> Any:
    """`data` (JSON-able: dicts, lists, scalars) as frozen containers; a frozen one is returned as it is."""
    cls = type(data)
    if cls is Frozen or cls is FrozenList or isinstance(data, _SCALARS):
        return data
    if isinstance(data, dict):
        return Frozen({key: freeze(value) for key, value in data.items()})
    if isinstance(data, list | tuple):
        return FrozenList(freeze(value) for value in data)
    raise TypeError(f"cannot freeze {cls.__name__}")
