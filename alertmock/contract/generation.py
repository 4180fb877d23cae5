"""Realistic data from a schema, with Faker: for ``Prefer: dynamic=true``, fallbacks and ``/__mock/seed``.

The schema decides the shape (types, required properties, enums, formats, patterns, bounds); the
content comes, in order, from the format (``date-time``, ``uuid``, ``email``, ...), the property's
name (a ``subject`` reads like a subject, a ``created`` is a timestamp, an ``id`` is new), and the
contract's own examples (its ``vocabulary``: ``container_type`` is ``web``, an alert id keeps its
``al-`` prefix with a new UUID, a Matatika timestamp keeps its six fractional digits). A candidate
that breaks the schema's pattern or length is passed over; a regex sample is the last resort.
List bodies get paging figures that agree with their items (`Generator.body`). A seed makes the
output repeatable.
"""

from __future__ import annotations

import random
import re
import re._parser as sre  # the stdlib's own regex parser (sre_parse before 3.11)
import string
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from alertmock.contract.schemas import effective

if TYPE_CHECKING:
    from faker import Faker

Schema = Mapping[str, Any]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
# An ISO 8601 date-time as the vendors write them: fraction digits and zone vary.
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?P<fraction>\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?$")
_TIME_NAMES = re.compile(
    r"(^|_)(created|updated|modified|raised|deleted|started|ended|date|time|timestamp)|(At|_at|Time|Date)$"
)
# The shapes of paging figures: Spring's HAL `page` and Tableau's `pagination`.
_SPRING_PAGE = frozenset(("size", "totalElements", "totalPages", "number"))
_TABLEAU_PAGE = frozenset(("pageNumber", "pageSize", "totalAvailable"))

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
    def __init__(self, seed: int | None = None, vocabulary: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.seed: int | str | None = seed
        self.random = random.Random(seed)
        self._faker: Faker | None = None
        # Property name -> the string values the contract's examples give it.
        self.vocabulary: Mapping[str, tuple[str, ...]] = vocabulary or {}

    def with_seed(self, seed: int) -> Generator:
        """A generator with the same vocabulary and its own seed (``Prefer: seed=N``)."""
        return Generator(seed, self.vocabulary)

    def body(self, schema: Schema) -> Any:
        """A whole response body: `value`, with paging figures that agree with the items."""
        return consistent_paging(self.value(schema))

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
        for candidate in self._candidates(schema, name):
            if candidate is not None and _fits(candidate, schema):
                return candidate
        pattern = schema.get("pattern")
        if pattern is not None:
            return _sample_regex(pattern, self.random)
        return _fit(self.faker.word(), schema)

    def _candidates(self, schema: Schema, name: str) -> Iterator[str | None]:
        fmt = schema.get("format", "")
        examples = [str(schema["example"])] if isinstance(schema.get("example"), str) else []
        examples += self.vocabulary.get(name, ())
        if fmt == "uuid":
            yield str(self.faker.uuid4())
        elif fmt == "date-time":
            yield self._instant(None)
        elif fmt == "date":
            yield self._instant(None)[:10]
        elif fmt in ("uri", "url"):
            yield self.faker.url()
        elif fmt == "email":
            yield self.faker.email()
        if _TIME_NAMES.search(name) or any(_INSTANT.match(e) for e in examples):
            shapes = [e for e in examples if _INSTANT.match(e)] or [None]
            yield self._instant(self.random.choice(shapes))
        lowered = name.lower()
        if lowered == "id" or lowered.endswith("id"):
            for example in examples:
                if _UUID.search(example):
                    yield _UUID.sub(str(self.faker.uuid4()), example, count=1)
            yield str(self.faker.uuid4())
        yield self._by_name(name)
        for example in self.random.sample(examples, len(examples)):
            yield _UUID.sub(lambda _: str(self.faker.uuid4()), example)

    def _instant(self, shape: str | None) -> str:
        """A time in 2026, written like `shape` (its fraction digits and zone), else as ``…Z``."""
        instant = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=self.random.randint(0, 300 * 86400))
        found = _INSTANT.match(shape) if shape else None
        if found is None:
            return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        text = instant.strftime("%Y-%m-%dT%H:%M:%S")
        if found["fraction"]:
            digits = len(found["fraction"]) - 1
            text += "." + "".join(self.random.choice(string.digits) for _ in range(digits - 1)) + "1"
        return text + (found["zone"] or "")

    def _by_name(self, name: str) -> Any:
        lowered = name.lower()
        for hint, make in _NAME_HINTS:
            if hint in lowered:
                return make(self.faker)
        return None

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


def _fits(text: str, schema: Schema) -> bool:
    pattern = schema.get("pattern")
    return (
        (pattern is None or re.search(pattern, text) is not None)
        and len(text) >= schema.get("minLength", 0)
        and len(text) <= schema.get("maxLength", len(text))
    )


def consistent_paging(body: Any) -> Any:
    """Paging figures that agree with the items beside them: the first page, holding them all."""
    if isinstance(body, list):
        for item in body:
            consistent_paging(item)
        return body
    if not isinstance(body, dict):
        return body
    for key, value in body.items():
        if isinstance(value, dict) and (value.keys() >= _SPRING_PAGE or value.keys() >= _TABLEAU_PAGE):
            count = max((_longest_list(v) for k, v in body.items() if k != key), default=0)
            if value.keys() >= _SPRING_PAGE:
                value.update(size=max(20, count), totalElements=count, totalPages=1 if count else 0, number=0)
            else:
                size = max(100, count)
                value.update(pageNumber="1", pageSize=str(size), totalAvailable=str(count))
        else:
            consistent_paging(value)
    return body


def _longest_list(value: Any, depth: int = 3) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict) and depth:
        return max((_longest_list(v, depth - 1) for v in value.values()), default=0)
    return 0


def vocabulary(document: Any) -> dict[str, tuple[str, ...]]:
    """Property name -> every string value the document's examples give it (in order, once each)."""
    found: dict[str, dict[str, None]] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                # A list of strings lends them to its items, which are generated under its name.
                for text in item if isinstance(item, list) else [item]:
                    if isinstance(text, str) and text:
                        found.setdefault(key, {})[text] = None
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "example" in node:
                collect(node["example"])
            for example in node.get("examples", {}).values() if isinstance(node.get("examples"), dict) else ():
                if isinstance(example, dict) and "value" in example:
                    collect(example["value"])
            for key, item in node.items():
                if key not in ("example", "examples"):
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return {key: tuple(values) for key, values in found.items()}


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
