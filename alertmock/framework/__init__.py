"""The one adapter between alertmock and its frameworks: Connexion, and Starlette's and uvicorn's internals.

Everything that imports Connexion, or reaches into a private name or internal module of Starlette
or uvicorn, lives in this package; the rest of alertmock uses only the names below (and the
frameworks' public API: Starlette's requests, responses and types, uvicorn's `Config`/`Server`).
`tests/test_import_rules.py` enforces it.

- `build_app`: a Connexion app serving the contract and the control API, with the engine's
  layers outside it (`apps`);
- `select_engine`, `Engine`, `ENGINES`: the speed path (`speed/`, imported only when chosen)
  or the stock path it falls back to (`engines`);
- `problem_of`: a Connexion problem's status and message (`problems`);
- `routed_operation_id`, `set_routed_operation_id`: what routing leaves in the scope (`scope`);
- `bytes_response`: the usual answer, built lean (`responses`);
- `ContractChecks`: one exchange judged against the contract, for `alertmock proxy` (`proxy_checks`);
- `leave_out_unused_modules`, `quiet_framework_warnings`: process settings for the CLI (`process`).

Names are imported on first use, so importing this package (or `alertmock`) imports no framework.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alertmock.framework.apps import build_app
    from alertmock.framework.engines import ENGINES, Engine, select_engine
    from alertmock.framework.problems import problem_of
    from alertmock.framework.process import leave_out_unused_modules, quiet_framework_warnings
    from alertmock.framework.proxy_checks import ContractChecks, Located
    from alertmock.framework.responses import bytes_response
    from alertmock.framework.scope import routed_operation_id, set_routed_operation_id

_HOMES = {
    "build_app": "apps",
    "ENGINES": "engines",
    "Engine": "engines",
    "select_engine": "engines",
    "problem_of": "problems",
    "leave_out_unused_modules": "process",
    "quiet_framework_warnings": "process",
    "ContractChecks": "proxy_checks",
    "Located": "proxy_checks",
    "bytes_response": "responses",
    "routed_operation_id": "scope",
    "set_routed_operation_id": "scope",
}

__all__ = [
    "ENGINES",
    "ContractChecks",
    "Engine",
    "Located",
    "build_app",
    "bytes_response",
    "leave_out_unused_modules",
    "problem_of",
    "quiet_framework_warnings",
    "routed_operation_id",
    "select_engine",
    "set_routed_operation_id",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'alertmock.framework' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
