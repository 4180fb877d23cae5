"""What `alertmock serve` loads: the server, not the test tools or clients its frameworks bring along
(alertmock/framework/process.py); a module left out is still there for whoever uses it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.servers import free_port

# Runs `alertmock serve` as the console script does, up to the point where uvicorn would serve,
# and prints the modules loaded by then.
SERVE_UNTIL_LISTENING = textwrap.dedent(
    """
    import sys
    import uvicorn

    def loaded(self, sockets=None):
        print(" ".join(sorted(sys.modules)))

    uvicorn.Server.run = loaded
    from alertmock.cli import main
    raise SystemExit(main(["serve", "--port", sys.argv[1], "--seed", "1", "--quiet"]))
    """
)


def _last_line(code: str, *args: str, timeout: float = 60) -> str:
    """Run `code` in a fresh interpreter (its own modules, its own collector): its last output line."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


def test_serve_loads_neither_the_verify_tools_nor_clients_it_never_calls() -> None:
    modules = set(_last_line(SERVE_UNTIL_LISTENING, str(free_port()), timeout=120).split())
    assert "connexion" in modules and "alertmock.app.factory" in modules  # the app was built
    # `verify`'s Schemathesis and what it brings (installed here: the test extra includes verify).
    assert not modules & {"schemathesis", "hypothesis", "pytest"}
    # httpx (and its command-line client: click's rich output, pygments), which Connexion imports
    # for remote OAuth token info and Starlette's test client; `verify` and the proxy use it.
    assert not modules & {"httpx", "starlette.testclient", "rich", "pygments"}
    # The other commands' modules: `serve` builds only its own options.
    assert not {m for m in modules if m.startswith(("alertmock.tools.verify", "alertmock.proxy.app"))}
    # requests, which Connexion imports to fetch remote $refs, with its HTTP stack.
    assert not modules & {"urllib3", "charset_normalizer"}
    # Faker loads when data is first generated, not at start-up.
    assert "faker" not in modules


def test_requests_left_out_of_connexion_is_there_for_whoever_uses_it() -> None:
    check = textwrap.dedent(
        """
        import sys
        from alertmock.framework.process import leave_out_unused_modules
        leave_out_unused_modules()
        assert "urllib3" not in sys.modules and "requests" not in sys.modules
        import connexion.json_schema
        # Connexion fetches a remote $ref with requests.get: the real one, imported now.
        assert connexion.json_schema.requests.get.__module__ == "requests.api"
        import requests
        from requests.adapters import HTTPAdapter
        assert connexion.json_schema.requests.Session is requests.Session
        assert isinstance(HTTPAdapter(), requests.adapters.BaseAdapter)
        print("ok")
        """
    )
    assert _last_line(check) == "ok"


def test_httpx_and_the_test_client_left_out_of_connexion_are_there_for_whoever_uses_them() -> None:
    check = textwrap.dedent(
        """
        import sys
        from alertmock.framework.process import leave_out_unused_modules
        leave_out_unused_modules()
        assert "httpx" not in sys.modules and "starlette.testclient" not in sys.modules
        import connexion
        import connexion.security
        # Connexion's OAuth handler builds an httpx client: the real class, imported now.
        assert connexion.security.httpx.AsyncClient is sys.modules["httpx"].AsyncClient
        # `App.test_client()` gives Starlette's real test client, and it serves the app.
        app = connexion.AsyncApp(__name__)
        client = app.test_client()
        from starlette.testclient import TestClient
        assert isinstance(client, TestClient)
        assert client.get("/nowhere").status_code == 404
        print("ok")
        """
    )
    assert _last_line(check) == "ok"


def test_serve_builds_its_app_without_collections_and_serves_with_them() -> None:
    check = textwrap.dedent(
        """
        import gc, sys
        import uvicorn
        import alertmock.app.factory

        collections = []
        build = alertmock.app.factory.create_app

        def counted(*args, **kwargs):
            gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
            return build(*args, **kwargs)

        def serving(self, sockets=None):
            print(len(collections), gc.isenabled(), gc.get_freeze_count() > 0)

        alertmock.app.factory.create_app = counted
        uvicorn.Server.run = serving
        from alertmock.cli import main
        raise SystemExit(main(["serve", "--port", sys.argv[1], "--seed", "1", "--quiet"]))
        """
    )
    serving = _last_line(check, str(free_port()), timeout=120)
    # Building the app ran no collection but the one that freezes what start-up built; then
    # collections are on again.
    assert serving == "1 True True"


def test_a_command_that_does_not_serve_runs_with_collections_on() -> None:
    check = textwrap.dedent(
        """
        import gc
        import alertmock.tools.lint

        alertmock.tools.lint.run_lint = lambda *args, **kwargs: print(gc.isenabled()) or 0
        from alertmock.cli import main
        raise SystemExit(main(["lint"]))
        """
    )
    assert _last_line(check) == "True"
