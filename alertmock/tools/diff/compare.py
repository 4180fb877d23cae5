"""Compare two resolved documents operation by operation: paths, security, parameters, bodies, responses."""

from __future__ import annotations

import re
from typing import Any

from alertmock.contract.negotiation import is_xml
from alertmock.tools.diff.changes import Change, Collector
from alertmock.tools.diff.loading import where
from alertmock.tools.diff.operations import Operation, operations
from alertmock.tools.diff.rules import RULES
from alertmock.tools.diff.schemas import Place, compare_schema


def compare(base: Any, rev: Any) -> list[Change]:
    """Every change from `base` to `rev` (resolved documents), in the revision's order."""
    changes: list[Change] = []
    b_ops, r_ops = operations(base), operations(rev)
    r_paths = {key[1] for key in r_ops}
    for key, b_op in b_ops.items():
        out = Collector(b_op.label)
        if key in r_ops:
            _compare_operation(b_op, r_ops[key], base, rev, out)
        elif key[1] not in r_paths:
            rule = "api-path-removed-with-deprecation" if b_op.deprecated else "api-path-removed-without-deprecation"
            out.add(rule, "path", f"{b_op.path} removed", at=(rev, "paths"), fallback=(b_op.item, None))
        else:
            rule = "api-removed-with-deprecation" if b_op.deprecated else "api-removed-without-deprecation"
            r_item = next(op.item for k, op in r_ops.items() if k[1] == key[1])
            out.add(rule, "operation", f"{b_op.label} removed", at=(r_item, None))
        changes += out.changes
    b_paths = {key[1] for key in b_ops}
    for key, r_op in r_ops.items():
        if key not in b_ops:
            out = Collector(r_op.label)
            rule = "endpoint-added" if key[1] in b_paths else "api-path-added"
            out.add(rule, "operation", f"{r_op.label} added", at=(r_op.spec, None))
            changes += out.changes
    return _unique(changes)


def version_not_bumped(base: Any, rev: Any) -> Change | None:
    """The change to report when the revision breaks clients under the same `info.version`."""
    old, new = str((base.get("info") or {}).get("version", "")), str((rev.get("info") or {}).get("version", ""))
    if _bumped(old, new):
        return None
    file, line = where(rev.get("info"), "version")
    message = f"info.version {new} {'is still' if old == new else 'is lower than'} {old}"
    return Change(
        "api-version-not-bumped", RULES["api-version-not-bumped"].level, "", "info.version", message, file, line
    )


def _bumped(old: str, new: str) -> bool:
    if old == new:
        return False
    numbers = [re.findall(r"\d+", v) for v in (old, new)]
    if all(numbers):
        return [int(n) for n in numbers[1]] > [int(n) for n in numbers[0]]
    return True


def _unique(changes: list[Change]) -> list[Change]:
    # A schema shared by several media types (JSON and XML) is compared once per media type.
    seen: set[tuple[str, str, str, str]] = set()
    kept = []
    for change in changes:
        key = (change.id, change.operation, change.location, change.message)
        if key not in seen:
            seen.add(key)
            kept.append(change)
    return kept


def _compare_operation(b: Operation, r: Operation, base: Any, rev: Any, out: Collector) -> None:
    if r.deprecated and not b.deprecated:
        out.add("api-deprecated", "operation", f"{r.label} is now deprecated", at=(r.spec, "deprecated"))
    if b.spec.get("operationId") != r.spec.get("operationId"):
        message = f"operationId {b.spec.get('operationId')} became {r.spec.get('operationId')}"
        out.add("api-operation-id-updated", "operation", message, at=(r.spec, "operationId"))
    b_tags, r_tags = list(b.spec.get("tags") or []), list(r.spec.get("tags") or [])
    for tag in b_tags:
        if tag not in r_tags:
            out.add("api-tag-removed", "tags", f"tag {tag} removed", at=(r.spec, "tags"), fallback=(r.spec, None))
    for tag in r_tags:
        if tag not in b_tags:
            out.add("api-tag-added", "tags", f"tag {tag} added", at=(r.spec, "tags"))
    _compare_security(b, r, base, rev, out)
    _compare_parameters(b, r, out)
    _compare_request_body(b, r, out)
    _compare_responses(b, r, out)


def _alternatives(op: Operation, document: Any) -> list[dict[str, list[str]]]:
    requirements = op.spec.get("security", document.get("security") or [])
    return [{name: list(scopes or []) for name, scopes in (req or {}).items()} for req in requirements] or [{}]


def _compare_security(b: Operation, r: Operation, base: Any, rev: Any, out: Collector) -> None:
    b_alts, r_alts = _alternatives(b, base), _alternatives(r, rev)
    at = (r.spec, "security") if "security" in r.spec else (rev, "security")
    fallback = (r.spec, None)
    for alt in b_alts:
        # The credentials a client sends for `alt` still work if some new alternative asks no more.
        if not any(set(new) <= set(alt) for new in r_alts):
            needed = min((sorted(set(new) - set(alt)) for new in r_alts), key=len)
            was = " + ".join(sorted(alt)) or "no credentials"
            out.add(
                "api-security-added",
                "security",
                f"{was} no longer enough: also needs {', '.join(needed)}",
                at,
                fallback,
            )
            continue
        for new in r_alts:
            if set(new) <= set(alt):
                for name in new:
                    extra = sorted(set(new[name]) - set(alt[name]))
                    if extra:
                        out.add("api-security-scope-added", "security", f"{name} needs scopes {extra}", at, fallback)
    for alt in r_alts:
        if any(set(alt) == set(old) for old in b_alts):
            continue
        shown = " + ".join(sorted(alt)) or "no credentials"
        if any(set(alt) < set(old) for old in b_alts):
            out.add("api-security-removed", "security", f"{shown} now enough", at, fallback)
        else:
            out.add("api-security-alternative-added", "security", f"{shown} now accepted too", at, fallback)
    b_schemes = (base.get("components") or {}).get("securitySchemes") or {}
    r_schemes = (rev.get("components") or {}).get("securitySchemes") or {}
    used = {name for alt in b_alts for name in alt} & {name for alt in r_alts for name in alt}
    for name in sorted(used):
        old, new = _wire(b_schemes.get(name)), _wire(r_schemes.get(name))
        if old != new:
            message = f"security scheme {name}: {_difference(old, new)}"
            out.add(
                "api-security-scheme-changed", "security", message, at=(r_schemes.get(name), None), fallback=fallback
            )


def _wire(scheme: Any) -> dict[str, Any]:
    keys = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl")
    return {key: scheme.get(key) for key in keys if scheme and key in scheme}


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = [key for key in {**old, **new} if old.get(key) != new.get(key)]
    return ", ".join(f"{key} {old.get(key)} became {new.get(key)}" for key in keys)


def _compare_parameters(b: Operation, r: Operation, out: Collector) -> None:
    for key, b_param in b.parameters.items():
        where_, name = key[0], b_param.get("name")
        location = f"parameter {where_} {name}"
        subject = ("parameter", where_, name)
        r_param = r.parameters.get(key)
        if r_param is None:
            out.add(
                "request-parameter-removed",
                location,
                f"{where_} parameter {name} removed",
                at=(r.spec, None),
                subject=subject,
            )
            continue
        if bool(b_param.get("required")) != bool(r_param.get("required")) and where_ != "path":
            now = "required" if r_param.get("required") else "optional"
            out.add(
                f"request-parameter-became-{now}",
                location,
                f"{name} became {now}",
                at=(r_param, "required"),
                fallback=(r_param, None),
                subject=subject,
            )
        place = Place("request-parameter", True, location, properties=False, subject=subject)
        compare_schema(_parameter_schema(b_param), _parameter_schema(r_param), place, out)
    for key, r_param in r.parameters.items():
        if key not in b.parameters:
            name = r_param.get("name")
            required = bool(r_param.get("required"))
            rule = "new-required-request-parameter" if required else "new-optional-request-parameter"
            message = f"new {'required' if required else 'optional'} {key[0]} parameter {name}"
            out.add(
                rule, f"parameter {key[0]} {name}", message, at=(r_param, None), subject=("parameter", key[0], name)
            )


def _parameter_schema(parameter: Any) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = parameter.get("content") or {}
    return next((media.get("schema", {}) for media in content.values()), {})


def _compare_request_body(b: Operation, r: Operation, out: Collector) -> None:
    b_body, r_body = b.spec.get("requestBody"), r.spec.get("requestBody")
    if b_body is None and r_body is None:
        return
    if b_body is None:
        rule = "new-required-request-body" if r_body.get("required") else "new-optional-request-body"
        out.add(rule, "request body", "a request body was added", at=(r_body, None))
        return
    if r_body is None:
        out.add("request-body-removed", "request body", "the request body was removed", at=(r.spec, None))
        return
    if bool(b_body.get("required")) != bool(r_body.get("required")):
        now = "required" if r_body.get("required") else "optional"
        out.add(
            f"request-body-became-{now}",
            "request body",
            f"the body became {now}",
            at=(r_body, "required"),
            fallback=(r_body, None),
        )
    _compare_content(b_body, r_body, "request", "request body", out)


def _compare_content(b_owner: Any, r_owner: Any, side: str, location: str, out: Collector) -> None:
    b_content, r_content = b_owner.get("content") or {}, r_owner.get("content") or {}
    prefix = "request-body" if side == "request" else "response"
    for media_type in b_content:
        if media_type not in r_content:
            at = (r_owner, "content") if "content" in r_owner else (r_owner, None)
            out.add(f"{prefix}-media-type-removed", location, f"media type {media_type} removed", at=at)
    for media_type in r_content:
        if media_type not in b_content:
            out.add(
                f"{prefix}-media-type-added", location, f"media type {media_type} added", at=(r_content, media_type)
            )
    for media_type in b_content:
        if media_type in r_content:
            b_schema = (b_content[media_type] or {}).get("schema") or {}
            r_schema = (r_content[media_type] or {}).get("schema") or {}
            place = Place(f"{side}-property", side == "request", location, xml=is_xml(media_type))
            compare_schema(b_schema, r_schema, place, out)


def _success(status: str) -> bool:
    return status.startswith("2")


def _compare_responses(b: Operation, r: Operation, out: Collector) -> None:
    b_responses = {str(k).upper(): v for k, v in (b.spec.get("responses") or {}).items()}
    r_responses = {str(k).upper(): v for k, v in (r.spec.get("responses") or {}).items()}
    r_at = (r.spec, "responses")
    for status, b_response in b_responses.items():
        location = f"response {status.lower()}"
        if status not in r_responses:
            kind = "success" if _success(status) else "non-success"
            out.add(f"response-{kind}-status-removed", location, f"status {status.lower()} removed", at=r_at)
            continue
        r_response = r_responses[status]
        _compare_content(b_response, r_response, "response", location + " body", out)
        _compare_headers(b_response, r_response, location, out)
    for status in r_responses:
        if status not in b_responses:
            kind = "success" if _success(status) else "non-success"
            out.add(
                f"response-{kind}-status-added",
                f"response {status.lower()}",
                f"status {status.lower()} added",
                at=(r_responses[status], None),
            )


def _compare_headers(b_response: Any, r_response: Any, location: str, out: Collector) -> None:
    b_headers = {k.lower(): v for k, v in (b_response.get("headers") or {}).items()}
    r_headers = {k.lower(): v for k, v in (r_response.get("headers") or {}).items()}
    for name, b_header in b_headers.items():
        where_ = f"{location} header {name}"
        if name not in r_headers:
            rule = (
                "response-required-header-removed" if b_header.get("required") else "response-optional-header-removed"
            )
            out.add(
                rule,
                where_,
                f"header {name} removed",
                at=(r_response, "headers") if "headers" in r_response else (r_response, None),
            )
            continue
        r_header = r_headers[name]
        if b_header.get("required") and not r_header.get("required"):
            out.add("response-header-became-optional", where_, f"header {name} became optional", at=(r_header, None))
        place = Place("response-header", False, where_, properties=False)
        compare_schema(b_header.get("schema") or {}, r_header.get("schema") or {}, place, out)
    for name, r_header in r_headers.items():
        if name not in b_headers:
            out.add("response-header-added", f"{location} header {name}", f"header {name} added", at=(r_header, None))
