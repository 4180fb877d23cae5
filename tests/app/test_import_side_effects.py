"""Importing alertmock changes nothing process-wide: warning filters and log levels are set by the
calls that own the process (`cli.main`, `create_app`), never on import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHECK = textwrap.dedent(
    """
    import logging, warnings
    import alertmock, alertmock.app.factory, alertmock.cli, alertmock.app.serving
    # (urllib3 and requests, imported by Connexion, install filters of their own on import.)
    ours = [f for f in warnings.filters if f[1] is not None and "starlette" in f[1].pattern]
    assert not ours, ours
    levels = {name: logging.getLogger(name).level for name in ("connexion.operations.openapi3", "connexion.decorators.parameter")}
    assert set(levels.values()) == {logging.NOTSET}, levels
    from alertmock import Config, create_app
    create_app(Config())
    assert logging.getLogger("connexion.decorators.parameter").level == logging.CRITICAL
    alertmock.cli.main(["lint"])
    assert any(f[1] is not None and "starlette" in f[1].pattern for f in warnings.filters)
    print("ok")
    """
)


def test_importing_alertmock_leaves_warnings_and_loggers_alone() -> None:
    # A fresh interpreter: this one has imported everything already.
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("\nok")


def test_importing_alertmock_for_a_handler_does_not_import_connexion() -> None:
    check = "import sys, alertmock; from alertmock import current_state, respond; print('connexion' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
