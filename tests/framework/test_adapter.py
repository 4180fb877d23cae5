"""The adapter's small public surface: every name resolves, and what it mirrors of Connexion is Connexion's."""

from __future__ import annotations

import subprocess
import sys

from connexion.middleware.abstract import ROUTING_CONTEXT

import alertmock.framework as framework
from alertmock.framework.scope import ROUTING_KEY, routed_operation_id, set_routed_operation_id


def test_the_routing_key_is_connexions() -> None:
    # The engine reads the routed operation without importing Connexion; the key must be the one
    # Connexion's routing writes.
    assert ROUTING_KEY == ROUTING_CONTEXT


def test_a_routed_operation_id_reads_back() -> None:
    scope: dict[str, object] = {}
    assert routed_operation_id(scope) is None
    set_routed_operation_id(scope, "handlers.tableau.data_alerts.get_data_alert")
    assert routed_operation_id(scope) == "handlers.tableau.data_alerts.get_data_alert"


def test_every_public_name_resolves() -> None:
    for name in framework.__all__:
        assert getattr(framework, name) is not None, name


def test_importing_the_adapter_imports_no_framework() -> None:
    # Names are imported on first use: `alertmock` (a handler's import) stays free of Connexion.
    code = "import sys, alertmock.framework; print('connexion' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
