"""Process-wide settings for a process alertmock owns (its CLI, the server it starts).

Called explicitly by those entry points, never on import: a program or test suite that imports
alertmock keeps its own warning filters.
"""

from __future__ import annotations

import warnings

__all__ = ["quiet_framework_warnings"]


def quiet_framework_warnings() -> None:
    """Hide the warnings the frameworks print on import that say nothing about alertmock's use."""
    # Connexion imports Starlette's test client at import time, which warns about httpx on every
    # `alertmock` command; the mock never uses the test client.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
