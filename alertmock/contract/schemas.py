"""Reading OpenAPI schemas the way both the XML codec and the data generator need them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]


def effective(schema: Schema) -> Schema:
    """`schema` with ``allOf`` merged into one schema, and the first alternative of ``oneOf``/``anyOf``.

    Merging keeps every keyword of every part (so ``allOf: [$ref: Duration]`` stays a string
    schema), unions ``properties`` and ``required``, and lets the outer schema's own keywords win.
    """
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        required: list[str] = []
        for part in schema["allOf"]:
            part = effective(part)
            properties.update(part.get("properties", {}))
            required.extend(r for r in part.get("required", ()) if r not in required)
            merged.update({k: v for k, v in part.items() if k not in ("properties", "required")})
        merged.update({k: v for k, v in schema.items() if k not in ("allOf", "properties", "required")})
        properties.update(schema.get("properties", {}))
        required.extend(r for r in schema.get("required", ()) if r not in required)
        if properties:
            merged.setdefault("type", "object")
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return {**effective(schema[key][0]), **{k: v for k, v in schema.items() if k != key}}
    return schema
