from __future__ import annotations

import copy
import pickle
from typing import Any

import orjson
import pytest

from alertmock import freeze
from alertmock.frozen import Frozen, FrozenList

DATA = {"a": 1, "b": [True, None, {"c": "d", "e": [1.5]}], "f": {}}


def test_freeze_is_deep_and_serialises_as_the_data() -> None:
    frozen = freeze(DATA)
    assert type(frozen) is Frozen and type(frozen["b"]) is FrozenList and type(frozen["b"][2]) is Frozen
    assert frozen == DATA
    assert orjson.dumps(frozen) == orjson.dumps(DATA)
    assert freeze(frozen) is frozen


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.__setitem__("x", 1),
        lambda f: f.__delitem__("a"),
        lambda f: f.update(x=1),
        lambda f: f.pop("a"),
        lambda f: f.setdefault("x", 1),
        lambda f: f.clear(),
        lambda f: f["b"].append(1),
        lambda f: f["b"].__setitem__(0, 1),
        lambda f: f["b"].sort(),
        lambda f: f["b"][2].popitem(),
    ],
)
def test_nothing_in_a_frozen_body_can_change(change: Any) -> None:
    frozen = freeze(DATA)
    with pytest.raises(TypeError):
        change(frozen)
    assert frozen == DATA


def test_a_frozen_body_holds_only_frozen_containers() -> None:
    with pytest.raises(TypeError):
        Frozen(a=[1])
    with pytest.raises(TypeError):
        FrozenList([{"a": 1}])
    with pytest.raises(TypeError):
        freeze({"a": object()})


def test_copies_are_the_body_itself_and_pickles_come_back_equal() -> None:
    frozen = freeze(DATA)
    assert copy.copy(frozen) is frozen and copy.deepcopy(frozen) is frozen
    again = pickle.loads(pickle.dumps(frozen))
    assert again == DATA and type(again) is Frozen and type(again["b"]) is FrozenList
