"""``alertmock serve --reload``: uvicorn's reloader, made safe to save a half-edited file under.

uvicorn restarts its worker on every change; a contract or fixture that does not load killed the
worker with two tracebacks and left requests hanging until the file was fixed, and every restart
dropped the sessions. Here, before a restart, the changed files are loaded in a throw-away
interpreter, as ``serve`` loads them: if they do not load, one line says why and the running worker
(the last good contract, fixtures and handlers) goes on answering; the next save tries again.

Sessions live through a restart in a state file (`alertmock/state/state_file.py`, the one ``--state-file``
uses; a temporary one if none was given): the worker going away saves them, the next one loads
them. A change to the fixtures is the exception: the sessions were copies of the old fixtures, so
they start again from the new ones, and the reload line says so.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from socket import socket
from typing import Any

from uvicorn.supervisors import ChangeReload

__all__ = ["CheckedReload", "check_from_env"]

_CHECK = "from alertmock.framework.reloading import check_from_env; check_from_env()"


class CheckedReload(ChangeReload):  # type: ignore[misc, valid-type]
    def __init__(
        self,
        config: Any,
        target: Callable[[list[socket] | None], None],
        sockets: list[socket],
        *,
        fixtures: Path,
        handover: Path | None,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(config, target, sockets)
        self.fixtures = fixtures.resolve()
        # The file this reloader made to pass sessions from one worker to the next; None when the
        # sessions live elsewhere (the user's --state-file, Redis), which a reload never deletes.
        self.handover = handover
        self.say = say
        self._changed: list[Path] = []

    def should_restart(self) -> list[Path] | None:
        changed: list[Path] | None = super().should_restart()
        if not changed:
            return None
        error = _load_error()
        if error is not None:
            self.say(f"alertmock: not reloaded, still serving the last files that loaded: {error}")
            return None
        self._changed = changed
        return changed

    def restart(self) -> None:
        # BaseReload.restart (POSIX), with the sessions' file dropped between the two workers when
        # the fixtures they were copied from have changed.
        self.process.terminate()
        self.process.join()
        fixtures_changed = any(self.fixtures in path.resolve().parents for path in self._changed)
        if fixtures_changed and self.handover is not None:
            self.handover.unlink(missing_ok=True)
            self.say("alertmock: reloading; the fixtures changed, so every session starts again from them")
        elif fixtures_changed:
            self.say(
                "alertmock: reloading; sessions kept as saved (POST /__mock/reset starts them from the new fixtures)"
            )
        else:
            self.say("alertmock: reloading; sessions kept")
        self.process = _subprocess(self.config, self.target, self.sockets)
        self.process.start()


def _subprocess(config: Any, target: Callable[..., None], sockets: list[socket]) -> Any:
    from uvicorn._subprocess import get_subprocess

    return get_subprocess(config=config, target=target, sockets=sockets)


def _load_error() -> str | None:
    """Why the files as saved now do not load (None: they do), from a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True, env=os.environ.copy())
    if done.returncode == 0:
        return None
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


def check_from_env() -> None:
    """Build the app the workers would build; exit 2 with one line if it cannot be built."""
    from alertmock.app.config import Config, ConfigError
    from alertmock.cli import UsageError, _build_app
    from alertmock.framework.process import quiet_framework_warnings
    from alertmock.state.fixtures import FixtureError

    quiet_framework_warnings()
    try:
        _build_app(Config.from_env())
    except (UsageError, ConfigError, FixtureError) as error:
        print(error, flush=True)
        raise SystemExit(2) from None
    except Exception as error:  # a handler that does not import, say: what a worker would die of
        print(f"{type(error).__name__}: {error}".splitlines()[0], flush=True)
        raise SystemExit(2) from None


def serve_reloading(config: Any, http: Any, handover: Path | None = None) -> None:
    """Serve `config` (already in the environment, for the workers) and reload it on changes.

    `handover` is the state file the caller made only to pass sessions between workers: the one
    file a fixture change may delete."""
    import uvicorn

    settings = uvicorn.Config(
        "alertmock.app.serving:app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        log_level="warning",
        reload=True,
        reload_dirs=[str(config.spec.parent)],
        reload_includes=["*.yaml", "*.json", "*.py"],
        timeout_graceful_shutdown=config.shutdown_timeout,
        http=http,
    )
    server = uvicorn.Server(settings)
    sock = settings.bind_socket()

    def say(line: str) -> None:
        print(line, flush=True)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the reloader stops its worker and returns
        CheckedReload(settings, server.run, [sock], fixtures=config.fixtures, handover=handover, say=say).run()
