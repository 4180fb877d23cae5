"""A tiny vendor ("widgets") that exercises the engine the way real vendors do."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from alertmock import ApiError, NotFoundError, RequestValidationError, current_state, new_uuid, respond

KIND = "widgets.items"


async def key_info(api_key: str, required_scopes: Any = None) -> dict[str, Any] | None:
    return {"sub": "tester"} if api_key == "good-key" else None


async def list_items() -> Response:
    return respond({"items": {"item": await current_state().list(KIND)}})


async def create_item(body: dict[str, Any]) -> Response:
    item = {"id": new_uuid(), **body["item"]}
    return respond(await current_state().put(KIND, item["id"], item), 201)


async def get_item(item_id: str, verbose: int = 0) -> Response:
    item = await current_state().get(KIND, item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id}", extra={"resource": "item"})
    return respond(item)


async def get_legacy_item(item_id: str, verbose: int = 0) -> Response:
    return await get_item(item_id, verbose)


async def delete_item(item_id: str) -> Response:
    if await current_state().delete(KIND, item_id) is None:
        raise NotFoundError(f"no item {item_id}", extra={"resource": "item"})
    return respond(None, 204)


def render(request: Request, error: ApiError) -> Response:
    body: dict[str, Any] = {"widget_error": error.message, "status": error.status}
    if isinstance(error, RequestValidationError):
        body.update(location=error.location, fields=error.fields)
    return Response(orjson.dumps(body), status_code=error.status, media_type="application/json")
