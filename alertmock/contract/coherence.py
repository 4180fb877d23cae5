"""Generated answers (``Prefer: dynamic=true``) made to agree with themselves, the request and the contract.

`alertmock.contract.generation` draws each value on its own; a client reads them together. Here, learning
only from the contract and the request:

- **HAL links** lead back to the mock: each ``_links`` relation takes the shape its counterpart
  has in the operation's documented example (the contract path it names, its query, its ``type``),
  on the request's own scheme and host, with the request's own path parameters (the workspace
  whose jobs were asked for), else the ids of the generated record it sits in where the example's
  ids were that record's (its own ``id``, an embedded ``pipeline.id``);
- **times** keep a record's life in order: ``created`` no later than ``started``, ``updated`` or
  ``lastModified``, and those no later than ``ended``;
- **the requested parent**: where the root document's ``x-alertmock.seed-parents`` say which field
  of a kind names its parent (a Scalingo alert's ``app_id``) and the request names that parent in
  its path (``{app}``), the field holds that parent's id, as the session's data has it;
- **the requested record**: a path that names a record by its id (``/api/jobs/{job-id}``) gets
  that record, when the id is one such a record may have;
- **lists of ids** hold each id once.

Links to paths the contract does not describe (a Matatika alert's ``dataset``) are not invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator

from alertmock.contract.document import Contract, Operation
from alertmock.contract.schemas import FORMAT_CHECKER, effective

__all__ = ["cohere"]

_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
# A record's times in the order its life goes; names are matched lower-cased, `_` and `At` aside.
_LIFE = (
    (0, re.compile(r"^(created|creation)")),
    (1, re.compile(r"^(started|start)")),
    (2, re.compile(r"^(updated|lastmodified|modified)")),
    (3, re.compile(r"^(ended|end|finished)")),
)
_PARAMETER = re.compile(r"{([^}]+)}")


async def cohere(
    body: Any,
    schema: Mapping[str, Any],
    operation: Operation,
    examples: list[Any],
    contract: Contract,
    base_url: str,
    path_params: Mapping[str, str],
    state: Any,
) -> Any:
    """`body`, generated from `schema` for `operation`, made coherent (in place, and returned)."""
    # By the contract's names (the router may hand them on as Python names: `job_id`).
    given = {_plain(name): value for name, value in path_params.items()}
    path_params = {name: given[_plain(name)] for name in _PARAMETER.findall(operation.path) if _plain(name) in given}
    _order_times(body)
    _unique_scalars(body)
    await _requested_parents(body, operation, contract, path_params, state)
    _requested_record(body, schema, operation, path_params)
    _links(body, [e for e in examples if isinstance(e, dict | list)], contract, base_url.rstrip("/"), path_params)
    return body


def _plain(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _order_times(body: Any) -> None:
    for record in _objects(body):
        timed = sorted(
            (rank, key)
            for key, value in record.items()
            if isinstance(value, str) and _INSTANT.match(value) and (rank := _life_rank(key)) is not None
        )
        if len(timed) > 1:
            # The same values, handed out in the order of the record's life.
            values = sorted(record[key] for _, key in timed)
            for (_, key), value in zip(timed, values, strict=True):
                record[key] = value


def _life_rank(key: str) -> int | None:
    name = key.lower().replace("_", "").removesuffix("at").removesuffix("time")
    return next((rank for rank, pattern in _LIFE if pattern.match(name)), None)


def _unique_scalars(body: Any) -> None:
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                body[key] = list(dict.fromkeys(value))
            else:
                _unique_scalars(value)
    elif isinstance(body, list):
        for item in body:
            _unique_scalars(item)


async def _requested_parents(
    body: Any, operation: Operation, contract: Contract, path_params: Mapping[str, str], state: Any
) -> None:
    parameters = set(_PARAMETER.findall(operation.path))
    for parents in contract.seed_parents.values():
        for parent in parents:
            name = next((p for p in (parent.name, f"{parent.name}-id") if p in parameters), None)
            if name is None or "." in parent.field or name not in path_params:
                continue
            wanted = path_params[name]
            record = await parent.find(state, wanted)
            parent_id = record["id"] if record is not None else wanted
            for generated in _primary_records(body):
                if parent.field in generated:
                    generated[parent.field] = parent_id


def _primary_records(value: Any) -> Iterator[dict[str, Any]]:
    """The records the answer is about (the answer, what it wraps, a list's items), not those
    embedded in them (a subscription's dataset has a workspace of its own)."""
    if isinstance(value, dict):
        if "id" in value:
            yield value
            return
        for item in value.values():
            yield from _primary_records(item)
    elif isinstance(value, list):
        for item in value:
            yield from _primary_records(item)


def _requested_record(
    body: Any, schema: Mapping[str, Any], operation: Operation, path_params: Mapping[str, str]
) -> None:
    """The record a path asks for by its id (``/api/jobs/{job-id}``) has that id: the answer itself,
    or the one record it wraps (Scalingo's ``{"alert": …}``)."""
    last = operation.path.rstrip("/").rsplit("/", 1)[-1]
    match = _PARAMETER.fullmatch(last)
    if match is None or not re.search(r"id$", match.group(1), re.I) or match.group(1) not in path_params:
        return
    record, record_schema = body, effective(schema)
    if isinstance(record, dict) and "id" not in record and len(record) == 1:
        key = next(iter(record))
        record, record_schema = record[key], effective(record_schema.get("properties", {}).get(key, {}))
    id_schema = record_schema.get("properties", {}).get("id")
    wanted = path_params[match.group(1)]
    # Only an id the record may have (a path's id may be looser than the record's: Scalingo's `al-`).
    if (
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and id_schema is not None
        and Draft4Validator(id_schema, format_checker=FORMAT_CHECKER).is_valid(wanted)
    ):
        record["id"] = wanted


def _links(body: Any, examples: list[Any], contract: Contract, base: str, path_params: Mapping[str, str]) -> None:
    """Each generated ``_links`` relation after its documented counterpart: the one at the same
    place in the operation's examples (list items: the first), else the first of that name in any
    example of the contract (a job's "stop job", documented on a running job's answer only)."""
    for where, links, record in _with_links(body):
        for relation, link in list(links.items()):
            if not isinstance(link, dict):
                continue
            found = _documented_link(examples, where, relation) or _any_documented_link(contract, relation)
            if found is None:
                continue
            model, model_record, model_root = found
            href = _href(model["href"], model_record, record, model_root, body, contract, path_params)
            if href is not None:
                link["href"] = base + href
                if "type" in model and "type" in link:
                    link["type"] = model["type"]


def _documented_link(
    examples: list[Any], where: tuple[Any, ...], relation: str
) -> tuple[dict[str, Any], dict[str, Any], Any] | None:
    for example in examples:
        shaped = _at(example, where)
        if isinstance(shaped, dict) and isinstance(shaped.get("_links"), dict):
            model = shaped["_links"].get(relation)
            if isinstance(model, dict) and isinstance(model.get("href"), str):
                return model, shaped, example
    return None


def _any_documented_link(contract: Contract, relation: str) -> tuple[dict[str, Any], dict[str, Any], Any] | None:
    if relation == "self":  # every record has one: only the same place says which
        return None
    for operation in contract.operations.values():
        for response in operation.responses.values():
            for media_type in response.content:
                for example in response.examples(media_type).values():
                    for _, links, record in _with_links(example):
                        model = links.get(relation)
                        if isinstance(model, dict) and isinstance(model.get("href"), str):
                            return model, record, example
    return None


def _with_links(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict[str, Any], Any]]:
    """(place, the `_links` object, the record holding it) of every HAL record; a place leaves list
    indices out."""
    if isinstance(value, dict):
        if isinstance(value.get("_links"), dict):
            yield where, value["_links"], value
        for key, item in value.items():
            if key != "_links":
                yield from _with_links(item, (*where, key))
    elif isinstance(value, list):
        for item in value:
            yield from _with_links(item, (*where, 0))


def _at(value: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        if isinstance(step, int):
            value = value[0] if isinstance(value, list) and value else None
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def _href(
    model: str,
    shaped: dict[str, Any],
    record: dict[str, Any],
    example: Any,
    body: Any,
    contract: Contract,
    path_params: Mapping[str, str],
) -> str | None:
    """The example's href for the generated record: its path on the contract, its query as documented."""
    parts = urlsplit(model)
    template = contract.path_template(parts.path)
    if template is None:
        return None
    documented = _template_values(template, parts.path)
    path = template
    for name, value in documented.items():
        found = _path_to(shaped, value, skip="_links")
        if name in path_params:  # the request's own parent (the workspace whose members were asked for)
            new = path_params[name]
        elif found is not None:
            new = _at(record, found)
        else:
            found = _path_to(example, value, skip="_links")
            new = _at(body, found) if found is not None else None
        path = path.replace("{" + name + "}", str(new if new is not None else value))
    return path + (f"?{parts.query}" if parts.query else "")


def _template_values(template: str, path: str) -> dict[str, str]:
    """The values `path` gives the parameters of `template` (a contract path it matches)."""
    pieces = _PARAMETER.split(template)  # literal, name, literal, ..., literal
    match = re.match("^" + "([^/]+)".join(re.escape(piece) for piece in pieces[::2]) + "$", path)
    return dict(zip(pieces[1::2], match.groups(), strict=True)) if match else {}


def _path_to(value: Any, wanted: str, skip: str, where: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Where in `value` the string `wanted` is (list items: the first), breadth-first."""
    queue: list[tuple[Any, tuple[Any, ...]]] = [(value, where)]
    while queue:
        node, at = queue.pop(0)
        if node == wanted:
            return at
        if isinstance(node, dict):
            queue.extend((item, (*at, key)) for key, item in node.items() if key != skip)
        elif isinstance(node, list) and node:
            queue.append((node[0], (*at, 0)))
    return None
