"""Matatika's wire forms: HAL resources, HAL pages and LocalDateTime timestamps.

Records in the store are the internal form (ids of related records, plain strings); these
functions turn them into the bodies Matatika answers, with links that point at the mock itself.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from alertmock import State, base_url, freeze

Body = dict[str, Any]


def stamp(instant: datetime) -> str:
    """A Java LocalDateTime as Jackson writes it: no zone, trailing zeros of the fraction dropped."""
    local = instant.astimezone(UTC)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{local.microsecond:06d}".rstrip("0") if local.microsecond else text


def parse(text: str) -> datetime:
    """The instant a `stamp` (or a fixture's timestamp, up to 9 fraction digits) stands for, in UTC."""
    whole, _, fraction = text.partition(".")
    micros = int((fraction + "000000")[:6]) if fraction else 0
    return datetime.fromisoformat(whole).replace(microsecond=micros, tzinfo=UTC)


async def page(
    records: list[Any],
    convert: Callable[[list[Any]], Awaitable[list[Body]]],
    name: str,
    path: str,
    number: int,
    size: int,
) -> Body:
    """A Spring HATEOAS page of `records`, only the page's ones converted to wire form (a seeded
    list of thousands must not cost thousands of conversions), in one call for the page;
    `_embedded` is left out when empty."""
    total = len(records)
    pages = math.ceil(total / size)
    content = await convert(records[number * size : (number + 1) * size])
    prefix = f"{base_url()}{path}?page="

    def href(n: int) -> Body:
        return {"href": f"{prefix}{n}&size={size}"}

    links: Body = {}
    if pages > 1:
        links["first"] = href(0)
    if 0 < number <= pages:
        links["prev"] = href(number - 1)
    links["self"] = href(number)
    if number + 1 < pages:
        links["next"] = href(number + 1)
    if pages > 1:
        links["last"] = href(pages - 1)
    body: Body = {"_embedded": {name: content}} if content else {}
    body["_links"] = links
    body["page"] = {"size": size, "totalElements": total, "totalPages": pages, "number": number}
    return body


# --- dataset alerts ---------------------------------------------------------------------------


def alert(record: Body, base: str | None = None) -> Body:
    """`base` is the mock's URL when the caller already has it (a page of alerts reads it once)."""
    body: Body = {"id": record["id"], "created": record["created"], "lastModified": record["lastModified"]}
    dataset_href = f"{base or base_url()}/api/datasets/{record['datasetId']}"
    if "raised" in record:
        body["raised"] = record["raised"]
        body["detail"] = record["detail"]
        body["_links"] = {"dataset": {"href": dataset_href}}
    else:
        # A draft links to the PUT that creates it, as the initialising POST does.
        body["_links"] = {"create alert": {"href": f"{dataset_href}/alerts/{record['id']}"}}
    return body


def alerts() -> Callable[[list[Body]], Awaitable[list[Body]]]:
    """Records -> wire forms for a page of alerts, the base URL read once for the page."""
    base = base_url()

    async def convert(records: list[Body]) -> list[Body]:
        return [alert(record, base) for record in records]

    return convert


# --- subscriptions ----------------------------------------------------------------------------

# A subscription target's kind -> its collection (and the path segment of its link).
TARGET_KINDS = {"workspace": "workspaces", "channel": "channels", "dataset": "datasets", "pipeline": "pipelines"}


def _target_embed(kind: str, record: Body) -> Body:
    if kind == "channel":  # embedded without its id, as documented
        return {k: record[k] for k in ("name", "description", "picture") if k in record}
    if kind == "dataset":  # the full dataset body; not copied, as the body is serialised unchanged
        return record
    if kind == "pipeline":
        return {k: record[k] for k in ("id", "name", "lastModified") if k in record}
    return {"id": record["id"], "name": record.get("name", "")}


class Subscriptions:
    """Record -> wire form for one response's subscriptions.

    A page's subscriptions share a few (subscriber, target) pairs (the caller's own, mostly), so
    each pair's related records are looked up once per response. What is built from them is kept
    between requests while those records are the same objects (a write puts a new record, never
    changes one in place), per base URL: each pair's `_embedded` and target link, and each
    subscription's wire form, frozen, so that answers can share them.
    """

    def __init__(self, state: State) -> None:
        self._state = state
        self._base = base_url()
        self._related: dict[tuple[str, str, str, str], _Related] = {}

    async def __call__(self, records: list[Body]) -> list[Body]:
        """A page's wire forms; a subscription kept from an earlier request is answered as it was if
        its pair's related records still are the objects it was built from."""
        pairs = self._related
        kept = _SUBSCRIPTIONS
        wires = []
        for record in records:
            entry = kept.get(id(record))
            if entry is not None:
                related = pairs.get(entry[1])
                if related is None:
                    related = pairs[entry[1]] = await self._relate(*entry[1])
                if related is entry[2]:
                    wires.append(entry[3])
                    continue
            subscriber, target = record["subscriber"], record["target"]
            key = (subscriber["kind"], subscriber["id"], target["kind"], target["id"])
            related = pairs.get(key)
            if related is None:
                related = pairs[key] = await self._relate(*key)
            # The entry holds the record: no other object can take its id while it exists.
            wires.append(_keep(kept, id(record), (record, key, related, self._wire(record, related)))[3])
        return wires

    async def one(self, record: Body) -> Body:
        return (await self([record]))[0]

    def _wire(self, record: Body, related: _Related) -> Body:
        embedded, by_workspace, target_kind, target_link = related
        href = f"{self._base}/api/subscriptions/{record['id']}"
        put, delete = {"href": href, "type": "PUT"}, {"href": href, "type": "DELETE"}
        if by_workspace:
            links = {"self": {"href": href}, "update subscription": put, "delete subscription": delete}
        else:
            links = {"self": {"href": href}, "delete subscription": delete, "update subscription": put}
        links[target_kind] = target_link
        return freeze(
            {
                "id": record["id"],
                "created": record["created"],
                "lastModified": record["lastModified"],
                "type": record["type"],
                "_embedded": embedded,
                "_links": links,
            }
        )

    async def _relate(self, subscriber_kind: str, subscriber_id: str, kind: str, target_id: str) -> _Related:
        """`_embedded`, whether a workspace subscribes, and the target's key and link."""
        target = await self._state.get(f"matatika.{TARGET_KINDS[kind]}", target_id)
        table = "matatika.workspaces" if subscriber_kind == "workspace" else "matatika.profiles"
        subscriber = await self._state.get(table, subscriber_id)
        key = (subscriber_kind, subscriber_id, kind, target_id, self._base, id(target), id(subscriber))
        entry = _RELATED.get(key)
        if entry is None:
            related = _related(subscriber_kind, subscriber_id, kind, target_id, self._base, target, subscriber)
            entry = _keep(_RELATED, key, (target, subscriber, related))
        return entry[2]  # type: ignore[no-any-return]


# (`_embedded`, whether a workspace subscribes, the target's key, the target's link)
_Related = tuple[Body, bool, str, Body]


def _related(
    subscriber_kind: str,
    subscriber_id: str,
    kind: str,
    target_id: str,
    base: str,
    target_record: Body | None,
    subscriber_record: Body | None,
) -> _Related:
    collection = TARGET_KINDS[kind]
    target = (kind, _target_embed(kind, target_record or {"id": target_id}))
    link = freeze({"href": f"{base}/api/{collection}/{target_id}"})
    if subscriber_kind == "workspace":
        workspace = subscriber_record or {"id": subscriber_id, "name": ""}
        embedded = dict([("subscriberWorkspace", {"id": workspace["id"], "name": workspace["name"]}), target])
        return freeze(embedded), True, kind, link
    profile = subscriber_record or {"id": subscriber_id, "name": "", "handle": ""}
    subscriber = ("subscriberProfile", {k: profile[k] for k in ("id", "name", "handle")})
    # The documents embed a channel before the subscriber and every other target after it.
    return freeze(dict([target, subscriber] if kind == "channel" else [subscriber, target])), False, kind, link


# Kept wire forms, keyed by the identity of what they come from (each entry holds those objects),
# bounded by `_keep`: a page is answered from them, a collection of thousands is not kept whole.
_KEPT = 2048
_SUBSCRIPTIONS: dict[int, tuple[Body, tuple[str, str, str, str], _Related, Body]] = {}
_RELATED: dict[tuple[str, str, str, str, str, int, int], tuple[Body | None, Body | None, _Related]] = {}


def _keep(kept: dict[Any, Any], key: Any, entry: Any) -> Any:
    if key not in kept and len(kept) >= _KEPT:
        del kept[next(iter(kept))]  # the oldest
    kept[key] = entry
    return entry


async def subscription(record: Body, state: State) -> Body:
    return await Subscriptions(state).one(record)


# --- jobs -------------------------------------------------------------------------------------

_JOB_FIELDS = ("id", "created", "type", "exitCode", "status", "startTime", "endTime")


def job(view: Body, base: str | None = None) -> Body:
    """`view` is a job as `_lifecycle.view` derives it at the current instant; `base` is the
    mock's URL when the caller already has it (a page of jobs reads it once)."""
    body: Body = {k: view[k] for k in _JOB_FIELDS if view.get(k) is not None}
    base = base or base_url()
    self_href = f"{base}/api/jobs/{view['id']}"
    links: Body = {
        "self": {"href": self_href},
        "pipeline": {"href": f"{base}/api/pipelines/{view['pipelineId']}"},
        "workspace": {"href": f"{base}/api/workspaces/{view['workspaceId']}"},
        "logs": {"href": f"{self_href}/logs?sequence=0"},
    }
    if view["status"] == "RUNNING":
        links["stop job"] = {"href": f"{self_href}/stopped", "type": "PUT"}
    links["delete job"] = {"href": self_href, "type": "DELETE"}
    body["_links"] = links
    return body
