"""Server Info: the versions real clients read before signing in (no authentication)."""

from __future__ import annotations

from typing import Any

from alertmock import Response, current_state, respond


async def get_server_info(api_version: str, **_: Any) -> Response:
    server = await current_state().get("tableau.server", "server") or {}
    return respond(
        {
            "serverInfo": {
                "productVersion": server.get("productVersion", ""),
                "restApiVersion": server.get("restApiVersion", ""),
            }
        }
    )


async def get_server_info_camel_case(api_version: str, **_: Any) -> Response:
    return await get_server_info(api_version)
