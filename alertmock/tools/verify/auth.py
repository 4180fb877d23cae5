"""Schemathesis auth providers: the run's credential everywhere, a throwaway one where it would be revoked.

Registered with ``schemathesis.auth()`` (``skip_for``/``apply_to`` by operation name) by
`install`, which verify's hooks module calls in the Schemathesis process. No caching and no
re-login: a credential that stops working mid-run must show as 401s, not be quietly replaced.

Against the mock, each case also carries an ``X-Mock-Session``: one per operation and phase (an
example that deletes a fixture cannot starve another operation, and fuzzing cannot consume what
the stateful phase needs), one for the whole stateful phase (its links build on each other). It
travels with the credential so that every request Schemathesis derives from a case (the probes of
use_after_free, ensure_resource_availability) reaches the same session. The mock keeps issued
tokens per session, so there the run's credential is obtained once per session, in it.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from alertmock.tools.verify.peers import install_second_identity
from alertmock.tools.verify.plan import Plan

SESSION_HEADER = "X-Mock-Session"


def _headers(plan: Plan, schemes: dict[str, dict[str, str]], label: str) -> dict[str, str]:
    accepted = plan.security.get(label, [])
    return next((headers for scheme, headers in schemes.items() if scheme in accepted), {})


def _session(plan: Plan, case: Any) -> dict[str, str]:
    if plan.mock_session is None:
        return {}
    phase = getattr(getattr(getattr(case, "meta", None), "phase", None), "name", "")
    phase = str(getattr(phase, "value", phase))
    scope = "stateful" if phase == "stateful" else f"{phase}-{case.operation.label}"
    return {SESSION_HEADER: f"{plan.mock_session}-{scope}"}


def _apply(case: Any, headers: dict[str, str]) -> None:
    case.headers = {**(case.headers or {}), **headers}


def _client(plan: Plan) -> Any:
    return importlib.import_module(plan.client)


def install(plan: Plan) -> None:
    import schemathesis

    lock = threading.Lock()

    def per_session(fixed: dict[str, dict[str, str]], options: dict[str, Any]) -> Any:
        """The identity's headers per scheme: ``fixed`` on a deployment, signed in per mock session."""
        signed_in: dict[str, dict[str, dict[str, str]]] = {}

        def schemes(session: dict[str, str]) -> dict[str, dict[str, str]]:
            if not session:
                return fixed
            with lock:
                key = session[SESSION_HEADER]
                if key not in signed_in:
                    signed_in[key] = _client(plan).authenticate(plan.url, headers=session, **options)[0]
                return signed_in[key]

        return schemes

    run_schemes = per_session(plan.schemes, plan.client_options)

    class RunCredential:
        """The credential verify obtained before the run (per mock session), unchanged to the end."""

        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            session = _session(plan, case)
            return {**_headers(plan, run_schemes(session), ctx.operation.label), **session}

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            _apply(case, data)

    class ThrowawayCredential:
        """A credential minted for this one call, which may revoke it (Tableau's Sign Out)."""

        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            session = _session(plan, case)
            schemes = _client(plan).throwaway(plan.url, headers=session, **plan.client_options) or {}
            return {**_headers(plan, schemes, ctx.operation.label), **session}

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            _apply(case, data)

    if plan.revoking:
        schemathesis.auth(refresh_interval=None).skip_for(name=plan.revoking)(RunCredential)
        schemathesis.auth(refresh_interval=None).apply_to(name=plan.revoking)(ThrowawayCredential)
    else:
        schemathesis.auth(refresh_interval=None)(RunCredential)
    if plan.second_schemes is not None or plan.second_options is not None:
        second_schemes = per_session(plan.second_schemes or {}, plan.second_options or {})

        def second(case: Any, ctx: Any) -> dict[str, str]:
            session = _session(plan, case)
            return {**_headers(plan, second_schemes(session), ctx.operation.label), **session}

        install_second_identity(second)
