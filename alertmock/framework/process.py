"""Process-wide settings for a process alertmock owns (its CLI, the server it starts).

Called explicitly by those entry points, never on import: a program or test suite that imports
alertmock keeps its own warning filters and its own modules.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from typing import Any

__all__ = ["leave_out_unused_modules", "quiet_framework_warnings"]


def quiet_framework_warnings() -> None:
    """Hide the warnings the frameworks print on import that say nothing about alertmock's use."""
    # Connexion imports Starlette's test client at import time, which warns about httpx on every
    # `alertmock` command; the mock never uses the test client.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


def leave_out_unused_modules() -> None:
    """Keep out of memory what the frameworks import on the way but a server never runs (~12 MB).

    Call before Connexion is imported (it imports Connexion). Nothing is lost: what is left out is
    imported on first use.
    """
    # Connexion's apps import Starlette's test client, which imports httpx, which imports its own
    # command-line client whenever click, rich and pygments are installed (a test or `verify`
    # environment has them): about 4 MB that nothing in the process calls. Without it httpx
    # defines a `main` that says how to install the client.
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]
    # Connexion imports requests (with urllib3 and charset_normalizer, about 5 MB) in one module,
    # only to fetch a contract's remote $refs; alertmock hands it the contract with every $ref
    # resolved. That module binds a forwarder instead, which imports requests if it is ever used.
    # Its security module imports httpx (about 3 MB and 25 ms of start-up) to ask a remote OAuth
    # token-info URL, which no alertmock contract names: a forwarder there too. Its apps import
    # Starlette's test client (httpx again) for `App.test_client()`, which a server never calls:
    # the name they bind builds the real one when called. Any later import of these modules gets
    # the real one, the usual way.
    stand_ins: dict[str, types.ModuleType] = {}
    if "connexion.json_schema" not in sys.modules:
        for name in ("requests", "httpx"):
            if name not in sys.modules:
                stand_ins[name] = _ImportedOnFirstUse(name)
    if "starlette.testclient" not in sys.modules and "connexion.apps.abstract" not in sys.modules:
        stand_ins["starlette.testclient"] = types.ModuleType("starlette.testclient")
        stand_ins["starlette.testclient"].TestClient = _test_client  # type: ignore[attr-defined]
    if not stand_ins:
        return
    sys.modules.update(stand_ins)
    try:
        import connexion.apps.abstract
        import connexion.json_schema
        import connexion.security  # noqa: F401
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _test_client(*args: Any, **kwargs: Any) -> Any:
    from starlette.testclient import TestClient

    return TestClient(*args, **kwargs)


class _ImportedOnFirstUse(types.ModuleType):
    """Stands for a module in the namespace that imported it; the first attribute read imports it."""

    def __getattr__(self, attribute: str) -> Any:
        # Only reached for what the forwarder does not hold yet: the real module's names.
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)
