"""Subscriptions (document 001), scoped to the authenticated profile.

A subscription's subscriber is a profile, or a workspace (`allMembers=true`, workspace owner only).
A profile sees its own subscriptions and those of the workspaces it is a member of; another
profile's subscription answers 404, as an unknown id does. Only the owner of a workspace may
change or remove the workspace's subscriptions (403 for its other members).
"""

from __future__ import annotations

import operator
from typing import Any

from alertmock import ForbiddenError, NotFoundError, Response, State, current_state, new_uuid, now, respond

from . import _wire
from ._store import Record, require

KIND = "matatika.subscriptions"


def _by_subscriber(subscriber: Record) -> dict[str, str]:
    # Profile and workspace ids never collide (UUIDs): the id finds the subscriber's, the kind is checked after.
    return {"subscriber.id": subscriber["id"]}


def _theirs(records: list[Record], subscriber: Record) -> list[Record]:
    """`records` (found by the subscriber's id) that are `subscriber`'s: all of them, unless ids collide."""
    subscribers = list(map(_SUBSCRIBER, records))
    if subscribers.count(subscriber) == len(subscribers):  # one comparison loop in C, no list built
        return records
    return [record for record, theirs in zip(records, subscribers, strict=True) if theirs == subscriber]


_SUBSCRIBER = operator.itemgetter("subscriber")


async def list_subscriptions(user: str, page: int, size: int, **_: Any) -> Response:
    state = current_state()
    me = _profile(user)
    mine = _theirs(await state.list(KIND, where=_by_subscriber(me)), me)
    return respond(
        await _wire.page(mine, _wire.Subscriptions(state), "subscriptions", "/api/subscriptions", page, size)
    )


async def list_member_subscriptions(workspace_id: str, user: str, page: int, size: int, **_: Any) -> Response:
    workspace = await require("workspaces", workspace_id, f"Workspace {workspace_id} must exist")
    if user not in workspace.get("memberIds", ()):
        raise ForbiddenError(f"Profile {user} is not a member of workspace {workspace_id}")
    state = current_state()
    subscriber = {"kind": "workspace", "id": workspace_id}
    found = _theirs(await state.list(KIND, where=_by_subscriber(subscriber)), subscriber)
    path = f"/api/workspaces/{workspace_id}/members/subscriptions"
    return respond(await _wire.page(found, _wire.Subscriptions(state), "subscriptions", path, page, size))


async def get_subscription(subscription_id: str, user: str, **_: Any) -> Response:
    state = current_state()
    return respond(await _wire.subscription(await _visible(state, subscription_id, user), state))


async def update_subscription(subscription_id: str, body: dict[str, Any], user: str, **_: Any) -> Response:
    state = current_state()
    record = await _changeable(state, subscription_id, user)
    updated = {**record, "type": body["type"], "lastModified": _wire.stamp(now())}
    await state.put(KIND, subscription_id, updated)
    return respond(await _wire.subscription(updated, state))


async def delete_subscription(subscription_id: str, user: str, **_: Any) -> Response:
    state = current_state()
    await _changeable(state, subscription_id, user)
    await state.delete(KIND, subscription_id)
    return respond(None, 204)


async def subscribe_workspace(workspace_id: str, user: str, allMembers: bool, **_: Any) -> Response:
    return await _subscribe("workspace", workspace_id, user, allMembers)


async def subscribe_channel(channel_id: str, user: str, allMembers: bool, **_: Any) -> Response:
    return await _subscribe("channel", channel_id, user, allMembers)


async def subscribe_dataset(dataset_id: str, user: str, allMembers: bool, **_: Any) -> Response:
    return await _subscribe("dataset", dataset_id, user, allMembers)


async def subscribe_pipeline(pipeline_id: str, user: str, allMembers: bool, **_: Any) -> Response:
    return await _subscribe("pipeline", pipeline_id, user, allMembers)


async def _subscribe(kind: str, target_id: str, user: str, all_members: bool) -> Response:
    target = await require(f"{kind}s", target_id, f"{kind.capitalize()} {target_id} must exist")
    subscriber = _profile(user)
    if all_members:
        workspace_id = target_id if kind == "workspace" else target["workspaceId"]
        workspace = await require("workspaces", workspace_id, f"Workspace {workspace_id} must exist")
        if workspace["ownerId"] != user:
            raise ForbiddenError(f"Only the owner of workspace {workspace_id} can subscribe all its members")
        subscriber = {"kind": "workspace", "id": workspace_id}
    state = current_state()
    wanted = {"kind": kind, "id": target_id}
    # Subscribing twice answers the existing subscription, unchanged (the documents answer 200 either way).
    theirs = await state.list(KIND, where=_by_subscriber(subscriber))
    existing = next((s for s in theirs if s["subscriber"] == subscriber and s["target"] == wanted), None)
    if existing is None:
        instant = _wire.stamp(now())
        existing = {
            "id": new_uuid(),
            "created": instant,
            "lastModified": instant,
            "type": "ALL",
            "subscriber": subscriber,
            "target": wanted,
        }
        await state.put(KIND, existing["id"], existing)
    return respond(await _wire.subscription(existing, state))


def _profile(user: str) -> Record:
    return {"kind": "profile", "id": user}


async def _visible(state: State, subscription_id: str, user: str) -> Record:
    record = await state.get(KIND, subscription_id)
    if record is None or not await _sees(state, record, user):
        raise NotFoundError(f"Subscription {subscription_id} not found")
    return record


async def _sees(state: State, record: Record, user: str) -> bool:
    subscriber = record["subscriber"]
    if subscriber["kind"] == "profile":
        return bool(subscriber["id"] == user)
    workspace = await state.get("matatika.workspaces", subscriber["id"]) or {}
    return user in workspace.get("memberIds", ())


async def _changeable(state: State, subscription_id: str, user: str) -> Record:
    record = await _visible(state, subscription_id, user)
    subscriber = record["subscriber"]
    if subscriber["kind"] == "workspace":
        workspace = await state.get("matatika.workspaces", subscriber["id"]) or {}
        if workspace.get("ownerId") != user:
            raise ForbiddenError(f"Only the owner of workspace {subscriber['id']} can change its subscriptions")
    return record
