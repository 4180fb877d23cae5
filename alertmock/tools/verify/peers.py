"""object_level_authorization with a second identity: someone else must not read the run's objects.

Schemathesis' check replays each successful GET of the run's identity as every other *peer* of the
auth provider it finds on the schema (`EscalatingAuthProvider`, the provider its Web Fuzzing Commons
support builds), and fails when a peer gets the same object. verify registers one with two
identities: the run's (which delegates to the providers registered with ``schemathesis.auth()``, so
throwaway credentials and mock sessions still apply) pinned for every request, and the second
credential (``--second-token`` / ``--second-username``; with ``--against-mock``, the vendor client's
``MOCK_SECOND_CREDENTIALS``: another profile, Tableau user, Scalingo owner) used only for the replays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RUN, SECOND = "run credential", "second credential"


def install_second_identity(second: Callable[[Any, Any], dict[str, str]]) -> None:
    """``second(case, ctx)``: the headers that present the second identity for this case."""
    import schemathesis
    from schemathesis.auths import GLOBAL_AUTH_STORAGE

    # Not a public name: the provider Schemathesis' object_level_authorization looks for (its WFC
    # support builds the same one). Pinned to the run's identity, it changes nothing else.
    from schemathesis.wfc.escalation import EscalatingAuthProvider

    class RunIdentity:
        def get(self, case: Any, ctx: Any) -> bool:
            return True

        def set(self, case: Any, data: bool, ctx: Any) -> None:
            GLOBAL_AUTH_STORAGE.set(case, ctx)

    class SecondIdentity:
        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            return second(case, ctx)

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            case.headers = {**(case.headers or {}), **data}

    @schemathesis.hook
    def after_load_schema(context: Any, schema: Any) -> None:
        identities = EscalatingAuthProvider(
            [RunIdentity(), SecondIdentity()], [RUN, SECOND], peers=(RUN, SECOND), pinned=RUN
        )
        schema.auth.providers.append(identities)
