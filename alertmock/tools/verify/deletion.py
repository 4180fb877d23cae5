"""A Schemathesis check that every successful DELETE really deletes: the same path read back answers 404.

Schemathesis' own ``use_after_free`` judges a read that happens, by the state machine's (unseeded)
choice, to follow a DELETE along the contract's links; this check reads back after *every* 2xx
DELETE that has a GET on the same path, in every phase, so a DELETE that answers 204 and keeps the
resource is refused on every run and every seed. Registered by `register_deletion_check`.
"""

from __future__ import annotations

from typing import Any

CHECK = "deleted_resource_is_gone"
# What a read of a deleted resource may answer: gone, whichever way the vendor says it.
GONE = (404, 410)


def deleted_resource_is_gone(ctx: Any, response: Any, case: Any) -> bool | None:
    if case.method.upper() != "DELETE" or not 200 <= response.status_code < 300 or not case.path_parameters:
        return None
    read = _read_operation(case)
    if read is None:
        return None
    probe = read.Case(path_parameters=dict(case.path_parameters), headers=dict(case.headers or {}))
    answer = probe.call()
    if answer.status_code in GONE:
        return True
    path = case.formatted_path
    raise AssertionError(
        f"DELETE {path} answered {response.status_code}, yet GET {path} then answered {answer.status_code}, "
        f"not {' or '.join(map(str, GONE))}: the resource was not deleted"
    )


def _read_operation(case: Any) -> Any:
    try:
        return case.operation.schema[case.operation.path]["GET"]
    except LookupError:
        return None


def register_deletion_check() -> None:
    import schemathesis

    schemathesis.check(deleted_resource_is_gone)
