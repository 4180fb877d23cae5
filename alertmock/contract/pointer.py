"""JSON Pointers (RFC 6901): the path into a document that ``$ref``s, links and the contract's
``x-alertmock.records`` use (``/alerts/0/id``, ``/components/schemas/Alert``)."""

from __future__ import annotations

from typing import Any

__all__ = ["lookup", "resolve"]


def resolve(document: Any, pointer: str) -> Any:
    """The value at `pointer` in `document`; raises KeyError (a LookupError) where there is none.

    ``""`` is the whole document; each token after a ``/`` is unescaped (``~1`` is ``/``, ``~0``
    is ``~``) and names a key of an object or the index of an array."""
    node = document
    for token in pointer.split("/")[1:] if pointer else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise KeyError(f"{pointer!r}: nothing at {token!r}")
    return node


def lookup(document: Any, pointer: str, default: Any = None) -> Any:
    """The value at `pointer`, or `default` where `document` has nothing there."""
    try:
        return resolve(document, pointer)
    except LookupError:
        return default
