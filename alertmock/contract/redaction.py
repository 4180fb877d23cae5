"""Credentials kept out of what the mock keeps, shows and prints: the contract says which values are.

A developer points their app at the mock, or their real staging tokens through ``alertmock
proxy``; the journal, the dashboard, ``/__mock/violations`` and the log must not hand those tokens
to whoever reads them. What counts as a credential is decided by the contract, never listed here:

- request headers, query parameters and cookies a security scheme names (``Authorization`` for
  ``http`` schemes, an ``apiKey``'s ``in``/``name``: Tableau's ``X-Tableau-Auth``), and always
  ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and ``Set-Cookie`` (as a browser's
  "sanitized" HAR leaves them out);
- parameters and body fields whose schema is marked secret: ``format: password``, ``writeOnly:
  true`` (a sign-in's password, a personal access token's secret), or ``x-secret: true`` for the
  credentials an answer carries (the token a sign-in issues, an exchanged JWT), in JSON, XML
  (attributes and elements, by their ``xml.name``) and form bodies alike.

A credential is replaced by its fingerprint, ``…[sha256:1f3a]`` (an ``Authorization`` value keeps
its scheme: ``Bearer …[sha256:1f3a]``): enough to tell two tokens apart while debugging a 401, not
enough to use either. Body fields are looked up per operation (the fields its own schemas mark),
or across the whole contract for an exchange no operation matched.

The public surface is small so that other features can reuse it (the proxy's findings, a recorder
of traffic writing fixtures): `Secrets.from_document`, `redact_exchange` over an exchange in the
journal's JSON form, `credential_values` and `scrub` for free text such as a validator's message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import orjson

__all__ = [
    "SECRET_KEYWORD",
    "Secrets",
    "credential_values",
    "fingerprint",
    "redact_exchange",
    "redact_query",
    "scrub",
]

# The contract's mark for a credential an answer carries (OpenAPI has `writeOnly` only for requests).
SECRET_KEYWORD = "x-secret"
# Secret whatever the contract says: what browsers' sanitized HAR exports leave out, and proxies' auth.
ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# Headers holding "<scheme> <credentials>": the scheme stays readable.
_SCHEMED = frozenset({"authorization", "proxy-authorization"})
FINGERPRINT_PREFIX = "…[sha256:"
# 16 bits: two tokens in one debugging session are told apart; a fingerprint proves nothing about a guess.
_FINGERPRINT_HEX = 4
_FORM = "application/x-www-form-urlencoded"
# The banner's line when `--journal-secrets show` keeps credentials in clear.
SHOWN_WARNING = (
    "WARNING: --journal-secrets show: the journal and dashboard keep passwords and tokens in clear;"
    " whoever can read /__mock/requests reads them"
)
# Shorter values are not searched for in free text: "1" would be found everywhere.
MIN_SCRUBBED_CHARS = 4


def fingerprint(secret: str | bytes) -> str:
    """``…[sha256:1f3a]``: the first hex digits of the secret's SHA-256."""
    data = secret.encode("utf-8", "surrogatepass") if isinstance(secret, str) else secret
    return f"{FINGERPRINT_PREFIX}{hashlib.sha256(data).hexdigest()[:_FINGERPRINT_HEX]}]"


@dataclass(frozen=True)
class Secrets:
    """What a contract marks as credentials (header names lower-case)."""

    headers: frozenset[str] = ALWAYS_SECRET_HEADERS
    query: frozenset[str] = frozenset()
    cookies: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()  # every operation's secret body fields, for unmatched exchanges
    by_operation: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Secrets:
        """From a resolved OpenAPI document (every ``$ref`` inlined, as `Contract.resolved`)."""
        headers, query, cookies = set(ALWAYS_SECRET_HEADERS), set(), set()
        places = {"header": headers, "query": query, "cookie": cookies}
        for scheme in (document.get("components") or {}).get("securitySchemes", {}).values():
            if scheme.get("type") == "apiKey" and scheme.get("in") in places:
                places[scheme["in"]].add(_key(scheme["in"], scheme.get("name", "")))
        by_operation: dict[str, frozenset[str]] = {}
        for item in (document.get("paths") or {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                for parameter in [*item.get("parameters", ()), *operation.get("parameters", ())]:
                    if parameter.get("in") in places and _marked(parameter.get("schema") or {}):
                        places[parameter["in"]].add(_key(parameter["in"], parameter.get("name", "")))
                found: set[str] = set()
                _secret_fields([operation.get("requestBody"), operation.get("responses")], found, set())
                by_operation[operation["operationId"]] = frozenset(found)
        return cls(
            headers=frozenset(headers),
            query=frozenset(query),
            cookies=frozenset(cookies),
            fields=frozenset().union(*by_operation.values()),
            by_operation=by_operation,
        )

    def fields_for(self, operation_id: str | None) -> frozenset[str]:
        if operation_id is None:
            return self.fields
        return self.by_operation.get(operation_id, self.fields)


def _key(place: str, name: str) -> str:
    return name.lower() if place == "header" else name


def _marked(schema: Mapping[str, Any]) -> bool:
    return schema.get("format") == "password" or schema.get("writeOnly") is True or schema.get(SECRET_KEYWORD) is True


def _secret_fields(node: Any, found: set[str], seen: set[int]) -> None:
    """The names (and XML names) of the properties marked secret anywhere under `node`."""
    if isinstance(node, list):
        for item in node:
            _secret_fields(item, found, seen)
        return
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))  # resolved documents may be recursive
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, schema in properties.items():
            if isinstance(schema, dict) and _marked(schema):
                found.add(name)
                xml_name = (schema.get("xml") or {}).get("name")
                if xml_name:
                    found.add(xml_name)
    for key, value in node.items():
        if key not in ("example", "examples"):
            _secret_fields(value, found, seen)


def redact_exchange(exchange: Mapping[str, Any], secrets: Secrets) -> dict[str, Any]:
    """A copy of `exchange`, in the journal's JSON form (``headers``, ``query``, ``body``,
    ``operation_id``, ``response.headers`` and ``response.body``; any may be missing), with every
    credential replaced by its fingerprint: where the contract names it, and wherever else the
    exchange repeats it (a validation error quoting the body it refused). Bodies are text; other
    keys are copied as they are."""
    found: set[str] = set()
    redacted = dict(exchange)
    response = exchange.get("response")
    answered = dict(response) if isinstance(response, Mapping) else None
    # Each body parsed once: redacted, and its clear values noted for the scrub below.
    bodies = _Bodies(exchange, secrets, found)
    if exchange.get("body"):
        redacted["body"] = bodies.sent
    if answered is not None and answered.get("body"):
        answered["body"] = bodies.answered
    if exchange.get("query") and secrets.query:
        redacted["query"] = _query(exchange["query"], secrets.query)
    credentials = _header_and_query_values(exchange, secrets)
    values = _usable(found | credentials)
    if values:
        # The request body's own secret fields are redacted where they stand: searched for in it
        # as text, a password equal to the user's name would turn the name into its fingerprint.
        sent_values = _usable(credentials)
        for place, key, these in (
            (redacted, "body", sent_values),
            (redacted, "query", values),
            (answered, "body", values),
        ):
            if place is not None and place.get(key):
                place[key] = scrub(place[key], these)
    if exchange.get("headers") is not None:
        redacted["headers"] = _headers(exchange["headers"], secrets)
    if answered is not None:
        if answered.get("headers") is not None:
            answered["headers"] = _headers(answered["headers"], secrets)
        redacted["response"] = answered
    return redacted


def credential_values(exchange: Mapping[str, Any], secrets: Secrets) -> set[str]:
    """The credentials in `exchange` (the journal's JSON form) as they may appear in free text: the
    values of the headers, query parameters and body fields the contract names, and for Basic
    credentials their decoded ``user:password`` and password. Cookies count only when a scheme
    names them: a cookie's value (a session's name, say) is too often an ordinary word."""
    found = _header_and_query_values(exchange, secrets)
    _Bodies(exchange, secrets, found)
    return _usable(found)


class _Bodies:
    """An exchange's two bodies with their secret fields redacted, their clear values added to `found`."""

    __slots__ = ("answered", "sent")

    def __init__(self, exchange: Mapping[str, Any], secrets: Secrets, found: set[str]) -> None:
        fields = secrets.fields_for(exchange.get("operation_id"))
        response = exchange.get("response") or {}
        sent, answered = exchange.get("body") or "", response.get("body") or ""
        self.sent = _body(sent, fields, _content_type(exchange.get("headers")), found) if sent else sent
        self.answered = _body(answered, fields, _content_type(response.get("headers")), found) if answered else answered


def _header_and_query_values(exchange: Mapping[str, Any], secrets: Secrets) -> set[str]:
    found: set[str] = set()
    response = exchange.get("response") or {}
    for headers in (exchange.get("headers"), response.get("headers")):
        for name, value in (headers or {}).items():
            lowered = name.lower()
            if lowered in secrets.headers:
                found.update(_header_values(lowered, value, secrets.cookies))
    if secrets.query and exchange.get("query"):
        found.update(value for name, value in _pairs(exchange["query"]) if name in secrets.query)
    return found


def _usable(found: set[str]) -> set[str]:
    return {value for value in found if len(value) >= MIN_SCRUBBED_CHARS and not value.startswith(FINGERPRINT_PREFIX)}


def redact_query(query: str, secrets: Secrets) -> str:
    """A query string (as the log line prints it) with the parameters the contract names fingerprinted."""
    return _query(query, secrets.query) if secrets.query and query else query


def scrub(text: str, values: Iterable[str]) -> str:
    """`text` with each of `values` (longest first) replaced by its fingerprint."""
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, fingerprint(value))
        elif text.endswith(_ELLIPSES):
            text = _cut_short(text, value)
    return text


_ELLIPSES = ("...", "…")


def _cut_short(text: str, value: str) -> str:
    """`text`, shortened with an ellipsis (a finding's message), whose end is the start of `value`:
    that start replaced too, since the start of a token is part of it."""
    ellipsis = "..." if text.endswith("...") else "…"
    kept = text[: -len(ellipsis)]
    for length in range(min(len(value) - 1, len(kept)), MIN_SCRUBBED_CHARS - 1, -1):
        if kept.endswith(value[:length]):
            return kept[:-length] + fingerprint(value) + ellipsis
    return text


def _content_type(headers: Mapping[str, str] | None) -> str:
    for name, value in (headers or {}).items():
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return ""


def _headers(headers: Mapping[str, str], secrets: Secrets) -> dict[str, str]:
    return {
        name: _header(name.lower(), value, secrets.cookies) if name.lower() in secrets.headers else value
        for name, value in headers.items()
    }


def _header(name: str, value: str, cookies: frozenset[str]) -> str:
    if name in _SCHEMED:
        scheme, space, credentials = value.strip().partition(" ")
        return f"{scheme} {fingerprint(credentials.strip())}" if space else fingerprint(value)
    if name == "cookie":
        return "; ".join(_cookie(pair) for pair in value.split(";") if pair.strip())
    if name == "set-cookie":
        first, semicolon, attributes = value.partition(";")
        return _cookie(first) + semicolon + attributes
    return fingerprint(value)


def _cookie(pair: str) -> str:
    name, equals, value = pair.strip().partition("=")
    return f"{name}={fingerprint(value)}" if equals else fingerprint(name)


def _header_values(name: str, value: str, cookies: frozenset[str]) -> list[str]:
    if name in _SCHEMED:
        scheme, space, credentials = value.strip().partition(" ")
        credentials = credentials.strip() if space else value.strip()
        values = [credentials]
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return values
            values.extend((decoded, decoded.partition(":")[2]))
        return values
    if name in ("cookie", "set-cookie"):
        pairs = value.split(";") if name == "cookie" else value.split(";")[:1]
        named = (pair.strip().partition("=") for pair in pairs)
        return [value for cookie, _, value in named if cookie in cookies]
    return [value]


def _pairs(query: str) -> list[tuple[str, str]]:
    pairs = (part.partition("=") for part in query.split("&"))
    return [(unquote_plus(name), unquote_plus(value)) for name, _, value in pairs]


def _query(query: str, names: frozenset[str]) -> str:
    if not names:
        return query
    parts = []
    for part in query.split("&"):
        name, equals, value = part.partition("=")
        parts.append(f"{name}={fingerprint(unquote_plus(value))}" if equals and unquote_plus(name) in names else part)
    return "&".join(parts)


def _body(body: str, fields: frozenset[str], content_type: str, found: set[str] | None = None) -> str:
    """`body` with the values of `fields` replaced; their clear values are added to `found` if given."""
    if not fields or not any(name in body for name in fields):
        return body  # most bodies: one substring search per secret field
    text = body.lstrip()
    if text[:1] in ("{", "["):
        try:
            document = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # cut short by the journal's limit, or not JSON: the patterns below still apply
        else:
            if not _redact_json(document, fields, found):
                return body
            try:
                return orjson.dumps(document).decode()
            except TypeError:  # nested deeper than orjson writes (254 levels): the patterns below
                pass
        return _JSON_PATTERNS.apply(body, fields, found)
    if text[:1] == "<":
        return _XML_PATTERNS.apply(body, fields, found)
    if content_type == _FORM:
        if found is not None:
            found.update(value for name, value in _pairs(body) if name in fields)
        return _query(body, fields)
    return body


def _redact_json(document: Any, fields: frozenset[str], found: set[str] | None) -> bool:
    """Replace, in place, the value of every key in `fields` wherever it is in `document`.

    Walked with a stack, not recursion: a body nested a thousand levels deep (orjson parses up to
    1,024) reaches the journal whatever the operation, and must not make reading it fail."""
    changed = False
    stack = [document]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(node, dict) and key in fields and value is not None:
                # A secret is a secret whatever its type: a list or object of them goes whole.
                clear = value if isinstance(value, str) else orjson.dumps(value).decode()
                if found is not None:
                    found.add(clear)
                    found.update(_strings(value))
                node[key] = fingerprint(clear)
                changed = True
            elif isinstance(value, dict | list):
                stack.append(value)
    return changed


def _strings(value: Any) -> list[str]:
    """The string leaves of a JSON value (the parts an error message may quote one by one)."""
    out, stack = [], [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


class _Patterns:
    """Secret fields found by pattern in text that does not parse whole (XML, a body cut short):
    each pattern, given the field names, matches a field and its value in group ``value``."""

    def __init__(self, *templates: str, decode: Any) -> None:
        self.templates = templates
        self.decode = decode
        self._compiled: dict[frozenset[str], list[re.Pattern[str]]] = {}

    def apply(self, body: str, fields: frozenset[str], found: set[str] | None) -> str:
        patterns = self._compiled.get(fields)
        if patterns is None:
            names = "|".join(re.escape(name) for name in sorted(fields, key=len, reverse=True))
            patterns = self._compiled[fields] = [re.compile(t.format(names=names), re.S) for t in self.templates]

        def replace(match: re.Match[str]) -> str:
            start, end = match.span("value")
            raw = match.group("value")
            clear = self.decode(raw)
            if found is not None:
                found.add(clear)
            whole = match.group(0)
            quote = raw[0] if raw[:1] in ('"', "'") else ""
            shown = f"{quote}{fingerprint(clear)}{quote}"
            return whole[: start - match.start()] + shown + whole[end - match.start() :]

        for pattern in patterns:
            body = pattern.sub(replace, body)
        return body


def _json_value(raw: str) -> str:
    if raw.startswith('"'):
        try:
            return str(orjson.loads(raw if raw.endswith('"') and len(raw) > 1 else raw + '"'))
        except orjson.JSONDecodeError:
            return raw.strip('"')
    return raw


def _xml_value(raw: str) -> str:
    if raw[:1] in ('"', "'"):
        raw = raw[1:-1]
    if raw.startswith("<![CDATA["):
        return raw[9:-3] if raw.endswith("]]>") else raw[9:]
    return html.unescape(raw)


_JSON_PATTERNS = _Patterns(
    # A key and its scalar value; a string may be cut short at the end of a shortened body.
    r'"(?:{names})"\s*:\s*(?P<value>"(?:[^"\\]|\\.)*(?:"|\\?$)|-?[0-9][0-9.eE+-]*|true|false)',
    decode=_json_value,
)
_XML_PATTERNS = _Patterns(
    # An attribute (any namespace prefix), quoted either way.
    r"(?<![\w.:-])(?:[\w.-]+:)?(?:{names})\s*=\s*(?P<value>\"[^\"]*\"|'[^']*')",
    # An element's text or CDATA. A CDATA section runs to its end or to the body's (a body cut short
    # may end inside it): an unclosed one is then one match to the end, not a failed scan from every
    # element that opens one (quadratic).
    r"<(?:[\w.-]+:)?(?:{names})(?:\s[^>]*)?>(?P<value><!\[CDATA\[.*?(?:\]\]>|\Z)|[^<]+)",
    decode=_xml_value,
)
