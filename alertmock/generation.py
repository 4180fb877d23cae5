"""Realistic data from a schema, with Faker: for ``Prefer: dynamic=true``, fallbacks and ``/__mock/seed``.

The schema decides the shape (types, required properties, enums, formats, bounds); Faker and the
property's name decide the content, so a ``subject`` reads like a subject and a ``createdAt`` is a
timestamp. A seed makes the output repeatable.
"""

from __future__ import annotations

import random
import re
import re._parser as sre  # the stdlib's own regex parser (sre_parse before 3.11)
import string
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from alertmock.schemas import effective

if TYPE_CHECKING:
    from faker import Faker

Schema = Mapping[str, Any]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

# Property-name hints, checked in order against the lower-cased name.
_NAME_HINTS: list[tuple[str, Callable[[Faker], Any]]] = [
    ("email", lambda f: f.email()),
    ("href", lambda f: f.url()),
    ("url", lambda f: f.url()),
    ("picture", lambda f: f.image_url()),
    ("subject", lambda f: f.sentence(nb_words=4).rstrip(".")),
    ("title", lambda f: f.sentence(nb_words=5).rstrip(".")),
    ("description", lambda f: f.sentence(nb_words=10)),
    ("detail", lambda f: f.sentence(nb_words=8)),
    ("message", lambda f: f.sentence(nb_words=8)),
    ("summary", lambda f: f.sentence(nb_words=4).rstrip(".")),
    ("handle", lambda f: f"@{f.user_name()}"),
    ("username", lambda f: f.user_name()),
    ("name", lambda f: f.name()),
    ("alias", lambda f: f.slug()),
]


class Generator:
    def __init__(self, seed: int | None = None) -> None:
        self.seed: int | str | None = seed
        self.random = random.Random(seed)
        self._faker: Faker | None = None

    def reseed(self, seed: str) -> None:
        """Another repeatable sequence (each process of a shared mock takes its own)."""
        self.random.seed(seed)
        self.seed = seed
        if self._faker is not None:
            self._faker.seed_instance(seed)

    @property
    def faker(self) -> Faker:
        # Imported on first use: Faker's providers cost a tenth of a second at start-up.
        if self._faker is None:
            from faker import Faker

            self._faker = Faker()
            self._faker.seed_instance(self.seed)
        return self._faker

    def value(self, schema: Schema, name: str = "") -> Any:
        schema = effective(schema)
        if "enum" in schema:
            return self.random.choice(schema["enum"])
        kind = schema.get("type") or ("object" if "properties" in schema else "string")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            items = schema.get("items", {})
            low = schema.get("minItems", 1)
            count = self.random.randint(low, max(low, min(schema.get("maxItems", 3), 3)))
            return [self.value(items, name) for _ in range(count)]
        if kind == "boolean":
            return self.random.random() < 0.5
        if kind == "integer":
            low, high = _bounds(schema, 0, 1000)
            return self.random.randint(int(low), int(high))
        if kind == "number":
            low, high = _bounds(schema, 0, 100)
            return round(self.random.uniform(low, high), 2)
        return self._string(schema, name)

    def _object(self, schema: Schema) -> dict[str, Any]:
        # Optional properties appear too: screens should be built against full records.
        return {key: self.value(prop, key) for key, prop in schema.get("properties", {}).items()}

    def _string(self, schema: Schema, name: str) -> str:
        fmt = schema.get("format", "")
        if fmt == "uuid":
            return str(self.faker.uuid4())
        if fmt == "date-time":
            instant = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=self.random.randint(0, 300 * 86400))
            return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        if fmt == "date":
            return self.faker.date()
        if fmt in ("uri", "url"):
            return self.faker.url()
        if fmt == "email":
            return self.faker.email()
        pattern = schema.get("pattern")
        if pattern is not None:
            return self._matching(pattern, schema, name)
        text = self._by_name(name) or self.faker.word()
        return _fit(str(text), schema)

    def _by_name(self, name: str) -> Any:
        lowered = name.lower()
        for hint, make in _NAME_HINTS:
            if hint in lowered:
                return make(self.faker)
        if lowered == "id" or lowered.endswith("id"):
            return str(self.faker.uuid4())
        return None

    def _matching(self, pattern: str, schema: Schema, name: str) -> str:
        # A realistic candidate when it fits (a uuid for an id), else a string drawn from the regex.
        regex = re.compile(pattern)
        candidate = self._by_name(name)
        if candidate is not None and regex.search(str(candidate)):
            return str(candidate)
        return _sample_regex(pattern, self.random)

    def vary(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A new record shaped like `record`: ids renewed (keeping prefixes), texts re-drawn by name."""
        varied: dict[str, Any] = {}
        for key, value in record.items():
            if key == "id":
                new = str(self.faker.uuid4())
                varied[key] = _UUID.sub(new, str(value), count=1) if _UUID.search(str(value)) else new
            elif isinstance(value, str) and key.lower() in ("name", "subject", "detail", "title", "description"):
                varied[key] = str(self._by_name(key))
            else:
                varied[key] = value
        return varied


def _bounds(schema: Schema, low: float, high: float) -> tuple[float, float]:
    low = schema.get("minimum", low)
    high = schema.get("maximum", max(high, low))
    if schema.get("exclusiveMinimum"):
        low += 1
    if schema.get("exclusiveMaximum"):
        high -= 1
    return low, max(low, high)


def _fit(text: str, schema: Schema) -> str:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text[:high] if high is not None else text


_CATEGORIES = {
    sre.CATEGORY_DIGIT: string.digits,
    sre.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre.CATEGORY_NOT_WORD: "-.",
    sre.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}
_PRINTABLE = string.ascii_letters + string.digits


def _sample_regex(pattern: str, rnd: random.Random) -> str:
    """A string matching `pattern` (anchors, classes, repeats, groups, alternation)."""
    return "".join(_sample(sre.parse(pattern), rnd))


def _sample(parsed: Any, rnd: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in parsed:
        if op is sre.LITERAL:
            out.append(chr(arg))
        elif op is sre.NOT_LITERAL:
            out.append(rnd.choice([c for c in _PRINTABLE if ord(c) != arg]))
        elif op is sre.ANY:
            out.append(rnd.choice(_PRINTABLE))
        elif op is sre.IN:
            out.append(rnd.choice(_class_chars(arg)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, item = arg
            for _ in range(rnd.randint(low, min(high, low + 4))):
                out.extend(_sample(item, rnd))
        elif op is sre.SUBPATTERN:
            out.extend(_sample(arg[-1], rnd))
        elif op is sre.BRANCH:
            out.extend(_sample(rnd.choice(arg[1]), rnd))
        elif op is sre.CATEGORY:
            out.append(rnd.choice(_CATEGORIES.get(arg, _PRINTABLE)))
        # AT (anchors) and anything exotic contribute nothing.
    return out


def _class_chars(items: Any) -> str:
    chars: list[str] = []
    negated = False
    for op, arg in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            chars.append(chr(arg))
        elif op is sre.RANGE:
            chars.extend(chr(c) for c in range(arg[0], min(arg[1], arg[0] + 94) + 1))
        elif op is sre.CATEGORY:
            chars.extend(_CATEGORIES.get(arg, _PRINTABLE))
    if negated:
        return "".join(c for c in _PRINTABLE if c not in chars) or "x"
    return "".join(chars) or "x"
