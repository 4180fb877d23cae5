"""Matatika's wire forms: HAL resources, HAL pages and LocalDateTime timestamps.

Records in the store are the internal form (ids of related records, plain strings); these
functions turn them into the bodies Matatika answers, with links that point at the mock itself.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from alertmock import State, base_url

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
    records: list[Any], convert: Callable[[Any], Awaitable[Body]], name: str, path: str, number: int, size: int
) -> Body:
    """A Spring HATEOAS page of `records`, only the page's ones converted to wire form (a seeded
    list of thousands must not cost thousands of conversions); `_embedded` is left out when empty."""
    total = len(records)
    pages = math.ceil(total / size)
    content = [await convert(record) for record in records[number * size : (number + 1) * size]]
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


def alerts() -> Callable[[Body], Awaitable[Body]]:
    """Record -> wire form for a page of alerts, the base URL read once for the page."""
    base = base_url()

    async def convert(record: Body) -> Body:
        return alert(record, base)

    return convert


# --- subscriptions ----------------------------------------------------------------------------

_TARGET_KINDS = {"workspace": "workspaces", "channel": "channels", "dataset": "datasets", "pipeline": "pipelines"}


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
    each pair's related records are looked up and embedded once per response, and the base URL
    read once; items with the same pair share those objects, harmless as bodies are only
    serialised. Nothing outlives the response: every request reads the store afresh.
    """

    def __init__(self, state: State) -> None:
        self._state = state
        self._base = base_url()
        self._self_prefix = f"{self._base}/api/subscriptions/"
        self._related: dict[tuple[str, str, str, str], tuple[Body, bool, str, Body]] = {}

    async def __call__(self, record: Body) -> Body:
        subscriber, target = record["subscriber"], record["target"]
        key = (subscriber["kind"], subscriber["id"], target["kind"], target["id"])
        related = self._related.get(key)
        if related is None:
            related = self._related[key] = await self._relate(*key)
        embedded, by_workspace, target_kind, target_link = related
        href = f"{self._self_prefix}{record['id']}"
        put, delete = {"href": href, "type": "PUT"}, {"href": href, "type": "DELETE"}
        if by_workspace:
            links = {"self": {"href": href}, "update subscription": put, "delete subscription": delete}
        else:
            links = {"self": {"href": href}, "delete subscription": delete, "update subscription": put}
        links[target_kind] = target_link
        return {
            "id": record["id"],
            "created": record["created"],
            "lastModified": record["lastModified"],
            "type": record["type"],
            "_embedded": embedded,
            "_links": links,
        }

    async def _relate(
        self, subscriber_kind: str, subscriber_id: str, kind: str, id: str
    ) -> tuple[Body, bool, str, Body]:
        """`_embedded`, whether a workspace subscribes, and the target's key and link."""
        collection = _TARGET_KINDS[kind]
        target = (kind, _target_embed(kind, await self._state.get(f"matatika.{collection}", id) or {"id": id}))
        link = {"href": f"{self._base}/api/{collection}/{id}"}
        if subscriber_kind == "workspace":
            workspace = await self._state.get("matatika.workspaces", subscriber_id) or {"id": subscriber_id, "name": ""}
            embedded = dict([("subscriberWorkspace", {"id": workspace["id"], "name": workspace["name"]}), target])
            return embedded, True, kind, link
        profile = await self._state.get("matatika.profiles", subscriber_id) or {
            "id": subscriber_id,
            "name": "",
            "handle": "",
        }
        subscriber = ("subscriberProfile", {k: profile[k] for k in ("id", "name", "handle")})
        # The documents embed a channel before the subscriber and every other target after it.
        return dict([target, subscriber] if kind == "channel" else [subscriber, target]), False, kind, link


async def subscription(record: Body, state: State) -> Body:
    return await Subscriptions(state)(record)


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
