"""JSON Pointer (RFC 6901), the examples of its section 5."""

from __future__ import annotations

import pytest

from alertmock.contract.pointer import lookup, resolve

DOCUMENT = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, 'k"l': 6, " ": 7, "m~n": 8}


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("", DOCUMENT),
        ("/foo", ["bar", "baz"]),
        ("/foo/0", "bar"),
        ("/", 0),
        ("/a~1b", 1),
        ("/c%d", 2),
        ("/e^f", 3),
        ("/g|h", 4),
        ("/i\\j", 5),
        ('/k"l', 6),
        ("/ ", 7),
        ("/m~0n", 8),
    ],
)
def test_the_rfcs_examples(pointer: str, value: object) -> None:
    assert resolve(DOCUMENT, pointer) == value


def test_nothing_there_is_a_lookup_error_or_the_default() -> None:
    for pointer in ("/nope", "/foo/2", "/foo/x", "/foo/0/deeper"):
        with pytest.raises(LookupError):
            resolve(DOCUMENT, pointer)
        assert lookup(DOCUMENT, pointer, "default") == "default"
