"""Matatika's wire forms: HAL resources, HAL pages and LocalDateTime timestamps.

Records in the store are the internal form (ids of related records, plain strings); these
functions turn them into the bodies Matatika answers, with links that point at the mock itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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


def url(path: str) -> str:
    return base_url() + path


def link(path: str, method: str | None = None) -> Body:
    return {"href": url(path)} if method is None else {"href": url(path), "type": method}


def page(records: list[Any], convert: Callable[[Any], Body], name: str, path: str, number: int, size: int) -> Body:
    """A Spring HATEOAS page of `records`, only the page's ones converted to wire form (a seeded
    list of thousands must not cost thousands of conversions); `_embedded` is left out when empty."""
    total = len(records)
    pages = math.ceil(total / size)
    content = [convert(record) for record in records[number * size : (number + 1) * size]]

    def href(n: int) -> Body:
        return {"href": url(f"{path}?page={n}&size={size}")}

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


def alert(record: Body) -> Body:
    body: Body = {"id": record["id"], "created": record["created"], "lastModified": record["lastModified"]}
    dataset_path = f"/api/datasets/{record['datasetId']}"
    if "raised" in record:
        body["raised"] = record["raised"]
        body["detail"] = record["detail"]
        body["_links"] = {"dataset": link(dataset_path)}
    else:
        # A draft links to the PUT that creates it, as the initialising POST does.
        body["_links"] = {"create alert": link(f"{dataset_path}/alerts/{record['id']}")}
    return body


# --- subscriptions ----------------------------------------------------------------------------

_TARGET_KINDS = {"workspace": "workspaces", "channel": "channels", "dataset": "datasets", "pipeline": "pipelines"}


def _target_embed(kind: str, record: Body) -> Body:
    if kind == "channel":  # embedded without its id, as documented
        return {k: record[k] for k in ("name", "description", "picture") if k in record}
    if kind == "dataset":  # the full dataset body
        return dict(record)
    if kind == "pipeline":
        return {k: record[k] for k in ("id", "name", "lastModified") if k in record}
    return {"id": record["id"], "name": record["name"]}


def subscription(record: Body, state: State) -> Body:
    subscriber, target = record["subscriber"], record["target"]
    self_path = f"/api/subscriptions/{record['id']}"
    target_record = state.get(f"matatika.{_TARGET_KINDS[target['kind']]}", target["id"]) or {"id": target["id"]}
    target_entry = (target["kind"], _target_embed(target["kind"], target_record))
    if subscriber["kind"] == "workspace":
        workspace = state.get("matatika.workspaces", subscriber["id"]) or {"id": subscriber["id"], "name": ""}
        embedded = dict([("subscriberWorkspace", {"id": workspace["id"], "name": workspace["name"]}), target_entry])
        actions = [("update subscription", link(self_path, "PUT")), ("delete subscription", link(self_path, "DELETE"))]
    else:
        profile = state.get("matatika.profiles", subscriber["id"]) or {"id": subscriber["id"], "name": "", "handle": ""}
        profile_entry = ("subscriberProfile", {k: profile[k] for k in ("id", "name", "handle")})
        # The documents embed a channel before the subscriber and every other target after it.
        pairs = [target_entry, profile_entry] if target["kind"] == "channel" else [profile_entry, target_entry]
        embedded = dict(pairs)
        actions = [("delete subscription", link(self_path, "DELETE")), ("update subscription", link(self_path, "PUT"))]
    target_link = (target["kind"], link(f"/api/{_TARGET_KINDS[target['kind']]}/{target['id']}"))
    links = dict([("self", link(self_path)), *actions, target_link])
    return {
        "id": record["id"],
        "created": record["created"],
        "lastModified": record["lastModified"],
        "type": record["type"],
        "_embedded": embedded,
        "_links": links,
    }


# --- jobs -------------------------------------------------------------------------------------

_JOB_FIELDS = ("id", "created", "type", "exitCode", "status", "startTime", "endTime")


def job(view: Body) -> Body:
    """`view` is a job as `_lifecycle.view` derives it at the current instant."""
    body: Body = {k: view[k] for k in _JOB_FIELDS if view.get(k) is not None}
    self_path = f"/api/jobs/{view['id']}"
    links: Body = {
        "self": link(self_path),
        "pipeline": link(f"/api/pipelines/{view['pipelineId']}"),
        "workspace": link(f"/api/workspaces/{view['workspaceId']}"),
        "logs": link(f"{self_path}/logs?sequence=0"),
    }
    if view["status"] == "RUNNING":
        links["stop job"] = link(f"{self_path}/stopped", "PUT")
    links["delete job"] = link(self_path, "DELETE")
    body["_links"] = links
    return body
