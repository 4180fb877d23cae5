"""Prism-compatible response selection: ``Prefer: code=404, example=name, dynamic=true, seed=3, delay=500``.

The header is read as RFC 7240 writes it: comma-separated preferences, each a token with an
optional value (a token or a quoted string) and ``;`` parameters; a bare token (``dynamic``) is
``true``. A known key counts as a preference of its own wherever it appears, so
``dynamic=true;seed=7`` and ``code=404;example=app-not-found`` mean what a person means by them.
Of a preference sent twice, the first counts (RFC 7240 §2). What the mock does not know
(``return=minimal``, ``respond-async``) is ignored, as the RFC asks, and named back in
``Alertmock-Preferences-Ignored``; what it honoured is named in ``Preference-Applied`` (§3).

The same keys work as query parameters (``__code``, ``__example``, ``__dynamic``, ``__seed``,
``__delay``) for clients that cannot set headers; they win over the header. The engine's
middleware parses them once per request; an operation's handler is bypassed when they choose the
response, and the answer comes from the contract (the named or first example, or data generated
from the schema) in the vendor's negotiated wire format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from alertmock.errors import BadRequestError

_KEYS = ("code", "example", "dynamic", "seed", "delay")
_INTEGERS = ("code", "seed", "delay")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")
MAX_DELAY_MS = 60_000
APPLIED_HEADER = b"preference-applied"
IGNORED_HEADER = b"alertmock-preferences-ignored"

# One preference or parameter: a token, optionally `=` a token or a quoted string, then the
# separator that follows it (`,` starts another preference, `;` a parameter of the same one).
_PART = re.compile(r'[ \t]*([^\s=;,"]+)[ \t]*(?:=[ \t]*("(?:[^"\\]|\\.)*"|[^\s;,"]*))?[ \t]*([;,]|$)')
_EMPTY = re.compile(r"[ \t]*[;,]")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


@dataclass(frozen=True)
class Preferences:
    code: int | None = None
    example: str | None = None
    dynamic: bool = False
    seed: int | None = None
    delay_ms: int = 0
    # What was sent and not understood, as sent (``return=minimal``).
    ignored: tuple[str, ...] = ()
    # What the mock honoured, as ``name=value``, noted by whoever honours it while the request runs.
    applied: list[str] = field(default_factory=list, compare=False)

    @property
    def chooses_response(self) -> bool:
        return self.code is not None or self.example is not None or self.dynamic

    def apply(self, name: str, value: object) -> None:
        self.applied.append(f"{name}={_word(str(value))}")

    def response_headers(self) -> list[tuple[bytes, bytes]]:
        """``Preference-Applied`` and ``Alertmock-Preferences-Ignored``, for what there is."""
        headers = []
        if self.applied:
            headers.append((APPLIED_HEADER, ", ".join(self.applied).encode("latin-1", "replace")))
        if self.ignored:
            headers.append((IGNORED_HEADER, ", ".join(self.ignored).encode("latin-1", "replace")))
        return headers


def parse_preferences(prefer_headers: list[str], query_string: bytes) -> Preferences | None:
    """None when the request states no preference (the common, fast case)."""
    raw: dict[str, str | None] = {}
    ignored: list[str] = []
    for header in prefer_headers:
        for name, value, text in _parts(header):
            if name in _KEYS:
                raw.setdefault(name, value)
            else:
                ignored.append(text)
    if b"__" in query_string:
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            if key.startswith("__") and key[2:] in _KEYS:
                raw[key[2:]] = value
    if not raw and not ignored:
        return None
    for key in _INTEGERS:
        value = raw.get(key)
        if key in raw and (value is None or not value.lstrip("-").isdigit()):
            raise BadRequestError(f"Prefer: {key} takes an integer (got {_shown(value)})")
    dynamic = (raw.get("dynamic") or "true").lower() if "dynamic" in raw else "false"
    if dynamic not in _TRUE + _FALSE:
        raise BadRequestError(f"Prefer: dynamic takes true or false (got {_shown(raw['dynamic'])})")
    if "example" in raw and not raw["example"]:
        raise BadRequestError("Prefer: example takes the name of a documented example")
    preferences = Preferences(
        code=int(raw["code"]) if raw.get("code") else None,
        example=raw.get("example"),
        dynamic=dynamic in _TRUE,
        seed=int(raw["seed"]) if raw.get("seed") else None,
        delay_ms=int(raw.get("delay") or 0),
        ignored=tuple(ignored),
    )
    if not 0 <= preferences.delay_ms <= MAX_DELAY_MS:
        raise BadRequestError(f"Prefer: delay must be between 0 and {MAX_DELAY_MS} ms")
    return preferences


def _parts(header: str) -> list[tuple[str, str | None, str]]:
    """(lower-cased name, value or None for a bare token, the text as sent) of each preference
    and parameter; a parameter of a preference the mock does not know is part of its text."""
    parts: list[tuple[str, str | None, str]] = []
    position, in_unknown = 0, False
    while position < len(header):
        empty = _EMPTY.match(header, position)
        if empty:
            position, in_unknown = empty.end(), in_unknown and empty.group().endswith(";")
            continue
        match = _PART.match(header, position)
        if match is None:  # not RFC 7240: up to the next comma is one thing not understood
            end = header.find(",", position)
            end = len(header) if end < 0 else end + 1
            parts.append(("", None, header[position:end].strip(" \t,")))
            position, in_unknown = end, False
            continue
        name, value, separator = match.group(1).lower(), match.group(2), match.group(3)
        text = match.group(0).strip(" \t;,")
        if value is not None and value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        if in_unknown:  # a parameter of an unknown preference: named with it
            previous = parts.pop()
            parts.append((previous[0], previous[1], f"{previous[2]}; {text}"))
        else:
            parts.append((name, value, text))
            in_unknown = name not in _KEYS
        position = match.end()
        in_unknown = in_unknown and separator == ";"
    return [part for part in parts if part[2]]


def _word(value: str) -> str:
    """A value as RFC 7240 writes it: a token, else a quoted string."""
    if _TOKEN.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(value: str | None) -> str:
    return "no value" if value is None else repr(value)
