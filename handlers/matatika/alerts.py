"""Dataset alerts (document 000): initialise (POST), create (PUT), list on a dataset, view."""

from __future__ import annotations

from typing import Any

from alertmock import NotFoundError, Response, current_state, new_uuid, now, respond

from . import _wire
from ._store import require, require_meltano_cloud

KIND = "matatika.alerts"


async def initialise_alert(dataset_id: str, user: str, **_: Any) -> Response:
    await require_meltano_cloud(user)
    await require("datasets", dataset_id, f"Dataset {dataset_id} must exist")
    instant = _wire.stamp(now())
    record = {"id": new_uuid(), "datasetId": dataset_id, "profileId": user, "created": instant, "lastModified": instant}
    await current_state().put(KIND, record["id"], record)
    return respond(_wire.alert(record))


async def create_alert(dataset_id: str, alert_id: str, body: dict[str, Any], user: str, **_: Any) -> Response:
    await require_meltano_cloud(user)
    await require("datasets", dataset_id, f"Dataset {dataset_id} must exist")
    state = current_state()
    existing = await state.get(KIND, alert_id)
    if existing is None or existing["datasetId"] != dataset_id:
        raise NotFoundError(f"Alert {alert_id} must be initialised on dataset {dataset_id}")
    instant = _wire.stamp(now())
    # Every PUT raises the alert (again) with its new detail; `created` is the initialisation's.
    record = {**existing, "detail": body["detail"], "raised": instant, "lastModified": instant}
    await state.put(KIND, alert_id, record)
    return respond(_wire.alert(record), 201)


async def list_alerts(dataset_id: str, user: str, page: int, size: int, **_: Any) -> Response:
    await require_meltano_cloud(user)
    await require("datasets", dataset_id, f"Dataset {dataset_id} must exist")
    # Drafts (initialised, never PUT) are not alerts raised on the dataset yet.
    on_dataset = await current_state().list(KIND, where={"datasetId": dataset_id})
    raised = [a for a in on_dataset if "raised" in a]
    return respond(await _wire.page(raised, _wire.alerts(), "alerts", f"/api/datasets/{dataset_id}/alerts", page, size))


async def get_alert(alert_id: str, user: str, **_: Any) -> Response:
    await require_meltano_cloud(user)
    return respond(_wire.alert(await require("alerts", alert_id, f"Alert {alert_id} not found")))
