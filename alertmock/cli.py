"""The ``alertmock`` command: ``serve`` the mock, ``proxy``/``verify`` a real service, ``lint``/``diff`` the contract.

This module only turns arguments into a `Config` and calls the engine.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import shutil
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alertmock.app.config import ENGINES, MEMORY_STATE, Config, ConfigError
from alertmock.app.gc_tuning import pause_for_start_up, resume
from alertmock.contract.document import ContractError
from alertmock.controls.admin_token import ensure_admin_token
from alertmock.framework import leave_out_unused_modules, quiet_framework_warnings
from alertmock.layers.edge import log_requests_to
from alertmock.state.fixtures import FixtureError


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """What `serve` and `proxy` share: where to listen, the contract, the engine's own layers."""
    parser.add_argument("--host", help="interface to bind (env ALERTMOCK_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (env ALERTMOCK_PORT, default 4010)")
    parser.add_argument("--spec", type=Path, help="root of the contract (env ALERTMOCK_SPEC, default openapi.yaml)")
    parser.add_argument("--seed", type=int, help="seed for generated ids, data and fault draws (env ALERTMOCK_SEED)")
    parser.add_argument(
        "--clock",
        help="simulated clock: real, an ISO instant (frozen), xN (N times as fast) or INSTANT@xN (env ALERTMOCK_CLOCK)",
    )
    parser.add_argument(
        "--admin-token",
        help="bearer token the control API (/__mock) requires; generated and printed when --host is not loopback"
        " (env ALERTMOCK_ADMIN_TOKEN)",
    )
    parser.add_argument(
        "--cors-origins",
        help="comma-separated allowed origins, * for any; explicit origins may send credentials"
        " (env ALERTMOCK_CORS_ORIGINS)",
    )
    parser.add_argument(
        "--cors-headers",
        help="comma-separated request headers preflights allow besides the contract's; default: any asked for"
        " (env ALERTMOCK_CORS_HEADERS)",
    )
    parser.add_argument(
        "--allowed-hosts",
        help="comma-separated Host names served besides localhost, *.localhost and IP literals (a compose service,"
        " host.docker.internal; .example.com for its subdomains; * for any) (env ALERTMOCK_ALLOWED_HOSTS)",
    )
    parser.add_argument(
        "--journal-secrets",
        choices=("redact", "show"),
        help="credentials in the journal and dashboard: redact (fingerprints, the default) or show them in clear"
        " (env ALERTMOCK_JOURNAL_SECRETS)",
    )
    parser.add_argument(
        "--max-body-bytes", type=int, help="largest accepted request body (env ALERTMOCK_MAX_BODY_BYTES)"
    )
    parser.add_argument("--max-sessions", type=int, help="X-Mock-Session sessions kept at once")
    parser.add_argument("--journal-size", type=int, help="requests kept in the request journal")
    parser.add_argument("--journal-bytes", type=int, help="bytes of bodies the journal keeps in all (default 8 MiB)")
    parser.add_argument(
        "--quiet", action="store_true", default=None, help="no log line per request (env ALERTMOCK_QUIET)"
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        help="the way through Connexion: auto (the speed path, or the stock path if it cannot run; the default),"
        " speed, or stock (env ALERTMOCK_ENGINE)",
    )


def _serve_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help=_HELP["serve"], description="Run the mock on a real HTTP server.")
    _add_server_arguments(serve)
    serve.add_argument("--fixtures", type=Path, help="fixtures directory (env ALERTMOCK_FIXTURES)")
    serve.add_argument("--collection-cap", type=int, help="records kept per collection and session")
    serve.add_argument(
        "--validate-responses", action="store_true", default=None, help="check every answer against the contract (slow)"
    )
    serve.add_argument(
        "--state",
        help="where state lives: memory (this process, the default) or redis://HOST:PORT/DB, shared by "
        "every process and replica that names it (env ALERTMOCK_STATE)",
    )
    serve.add_argument("--workers", type=int, help="server processes on the one port (needs --state redis://…)")
    serve.add_argument(
        "--state-file", type=Path, help="save every session here at shutdown, load it at start (ALERTMOCK_STATE_FILE)"
    )
    serve.add_argument(
        "--shutdown-timeout",
        type=float,
        help="seconds requests in flight get to finish after SIGTERM (env ALERTMOCK_SHUTDOWN_TIMEOUT, default 5)",
    )
    serve.add_argument("--reload", action="store_true", help="restart when the contract, fixtures or handlers change")


def _proxy_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from alertmock.proxy.command import add_arguments

    proxy = sub.add_parser(
        "proxy",
        help=_HELP["proxy"],
        description="Forward every request to the real service and check both halves of each exchange against the "
        "contract; violations are reported on the response, at /__mock/violations and on exit.",
    )
    _add_server_arguments(proxy)
    add_arguments(proxy)


def _lint_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lint = sub.add_parser("lint", help=_HELP["lint"], description="Validate the contract and its examples.")
    lint.add_argument("--spec", type=Path, help="root of the contract (default openapi.yaml)")


def _verify_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from alertmock.tools.verify.command import add_arguments

    verify = sub.add_parser(
        "verify",
        help=_HELP["verify"],
        description="Run Schemathesis against one vendor's operations of a deployment; non-zero exit on any failure.",
    )
    add_arguments(verify)


def _diff_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from alertmock.tools.diff.command import add_arguments

    diff = sub.add_parser(
        "diff",
        help=_HELP["diff"],
        description="Compare two versions of the contract: what breaks a client (ERR), may (WARN) or not (INFO).",
    )
    add_arguments(diff)


def _import_har_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from alertmock.tools.har import add_arguments

    har = sub.add_parser(
        "import-har",
        help=_HELP["import-har"],
        description="Turn a HAR file's answers that carry resources (and passed the contract) into fixtures for "
        "alertmock serve --fixtures DIR, as alertmock proxy --record does live.",
    )
    add_arguments(har)


_HELP = {
    "serve": "run the mock (uvicorn)",
    "proxy": "check live traffic to the real services against the contract",
    "lint": "check the contract",
    "verify": "check a deployment (or the mock) against the contract",
    "diff": "report the breaking changes between two versions of the contract",
    "import-har": "turn a browser's HAR file into fixtures",
}
_COMMANDS = {
    "serve": _serve_parser,
    "proxy": _proxy_parser,
    "lint": _lint_parser,
    "verify": _verify_parser,
    "diff": _diff_parser,
    "import-har": _import_har_parser,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's options; building it reads no file (``--help`` works anywhere).

    With `only`, the other commands are listed without their options: the proxy's and `verify`'s
    import their modules (httpx among them), which `serve` would pay for at every start."""
    from alertmock import __version__

    parser = argparse.ArgumentParser(prog="alertmock", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"alertmock {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, add in _COMMANDS.items():
        if only in (None, name):
            add(sub)
        else:
            sub.add_parser(name, help=_HELP[name])
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    return Config.from_env().with_overrides(
        host=args.host,
        port=args.port,
        spec=args.spec,
        fixtures=getattr(args, "fixtures", None),
        seed=args.seed,
        clock=args.clock,
        cors_origins=_listed(args.cors_origins),
        max_body_bytes=args.max_body_bytes,
        collection_cap=getattr(args, "collection_cap", None),
        max_sessions=args.max_sessions,
        journal_size=args.journal_size,
        journal_bytes=getattr(args, "journal_bytes", None),
        validate_responses=getattr(args, "validate_responses", None),
        admin_token=getattr(args, "admin_token", None),
        cors_headers=_listed(args.cors_headers),
        allowed_hosts=_listed(args.allowed_hosts),
        journal_secrets=args.journal_secrets,
        quiet=args.quiet,
        state=getattr(args, "state", None),
        workers=getattr(args, "workers", None),
        state_file=getattr(args, "state_file", None),
        shutdown_timeout=getattr(args, "shutdown_timeout", None),
        engine=getattr(args, "engine", None),
    )


def _listed(value: str | None) -> tuple[str, ...] | None:
    return tuple(item.strip() for item in value.split(",") if item.strip()) if value else None


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    config, generated_token = ensure_admin_token(config_from_args(args))
    handover = None
    if args.reload and config.state_file is None and config.state == MEMORY_STATE:
        # Where each worker leaves the sessions for the next (alertmock/framework/reloading.py).
        handover = Path(tempfile.mkdtemp(prefix="alertmock-reload-"))
        config = config.with_overrides(state_file=handover / "sessions.json")
    # The app is built (a bad contract or fixture is one line) and the port bound before the banner.
    app = _build_app(config)
    _check_state(config)
    sock = _bind(config)
    print(_banner(config, generated_token, app.engine.notice), flush=True)
    if args.reload:
        print(RELOAD_NOTE, flush=True)
    if config.workers > 1 or args.reload:
        # Several workers, or the reloader, need an import string: each process builds its app from
        # the environment, and uvicorn binds the port itself (checked free above).
        resume()  # this process only watches the workers
        sock.close()
        _export_env(config)
        if args.reload:
            from alertmock.framework import serve_reloading

            try:
                serve_reloading(config, http=app.engine.http, handover=config.state_file if handover else None)
            finally:
                if handover is not None:
                    shutil.rmtree(handover, ignore_errors=True)
            return 0
        uvicorn.run(
            "alertmock.app.serving:app_from_env",
            factory=True,
            host=config.host,
            port=config.port,
            log_level="warning",
            workers=config.workers,
            timeout_graceful_shutdown=config.shutdown_timeout,
            http=app.engine.http,
        )
        return 0
    from alertmock.app.gc_tuning import tune_for_serving

    if not config.quiet:
        log_requests_to(sys.stdout)
    tune_for_serving()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=config.shutdown_timeout,
            http=app.engine.http,
        )
    )
    # uvicorn shuts down gracefully on Ctrl-C, then raises it again: a stopped server is not an error
    # (`uvicorn.run`, which the workers' path uses, suppresses it the same way).
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    return 0


def startup(args: argparse.Namespace) -> tuple[Config, str]:
    """The config to serve, and the banner to print once the port is bound."""
    config, generated_token = ensure_admin_token(config_from_args(args))
    return config, _banner(config, generated_token)


RELOAD_NOTE = (
    "--reload: a change to the contract, fixtures or handlers restarts the mock once they load (until then the"
    " last files that did keep answering); sessions are kept, except that a fixture change starts them again"
    " (unless --state-file or --state redis:// holds them: a reload never deletes those)"
)


def _banner(config: Config, generated_token: str | None, engine_notice: str | None = None) -> str:
    lines = [
        *([engine_notice] if engine_notice else []),
        f"alertmock on http://{config.host}:{config.port}  (Swagger UI: /ui, controls: /__mock/ui)",
        demo_credentials(config.spec),
    ]
    if generated_token:
        lines.append(f"Admin token (generated as --host is not loopback; --admin-token sets one): {generated_token}")
    if config.admin_token:
        lines.append("The control API (/__mock) needs: Authorization: Bearer <admin token>")
    if config.journal_secrets == "show":
        from alertmock.contract.redaction import SHOWN_WARNING

        lines.append(SHOWN_WARNING)
    return "\n".join(lines)


def _build_app(config: Config) -> Any:
    # Imported here, after `main` has set its warning filters: Connexion warns on import.
    from alertmock.app.factory import create_app

    try:
        return create_app(config)
    except OSError as exc:
        raise UsageError(f"{exc.filename}: {exc.strerror}") from None
    except ContractError as exc:
        raise UsageError(str(exc)) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"--spec {config.spec}: not an alertmock contract ({type(exc).__name__}: {exc})") from None


def _check_state(config: Config) -> None:
    """A Redis that cannot be reached is said once, at start, rather than as a 500 per request."""
    if config.state == MEMORY_STATE:
        return
    import redis

    try:
        redis.Redis.from_url(config.state, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise UsageError(f"--state {config.state}: cannot reach Redis ({exc})") from None


def _bind(config: Config) -> socket.socket:
    """The listening socket, bound before anything is printed (a port in use is then one line)."""
    try:
        family = socket.getaddrinfo(config.host, config.port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((config.host, config.port))
    except OSError as exc:
        raise UsageError(f"--host {config.host} --port {config.port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def demo_credentials(spec: Path) -> str:
    """The contract's own `x-demo-credential`s, one line per security scheme."""
    import yaml

    schemes = yaml.safe_load(spec.read_text(encoding="utf-8")).get("components", {}).get("securitySchemes", {})
    lines = [f"  {name:<16} {s['x-demo-credential']}" for name, s in schemes.items() if "x-demo-credential" in s]
    return "Demo credentials:\n" + "\n".join(lines)


def _export_env(config: Config) -> None:
    import os

    for name, value in vars(config).items():
        if name == "settings" or value is None:
            continue
        os.environ[f"ALERTMOCK_{name.upper()}"] = ",".join(value) if isinstance(value, tuple) else str(value)


def lint(args: argparse.Namespace) -> int:
    from alertmock.tools.lint import run_lint

    return run_lint(args.spec or Config.from_env().spec, out=sys.stdout)


class UsageError(Exception):
    """A mistake in the command line, environment or files it names: one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    pause_for_start_up()
    try:
        return _run(argv)
    finally:
        # However the command ended (a usage error, argparse's exit, a server stopped): a caller in
        # the same process (a test, a script) gets its collections back.
        resume()


def _run(argv: Sequence[str] | None) -> int:
    quiet_framework_warnings()
    leave_out_unused_modules()
    from alertmock.proxy.command import vendor_flags

    argv = vendor_flags(sys.argv[1:] if argv is None else argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(command if command in _COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command not in ("serve", "proxy"):
        resume()  # a command that does not serve: no start-up to spare collections for
    try:
        if args.command == "proxy":
            from alertmock.proxy.command import main as proxy

            return proxy(args, config_from_args(args))
        if args.command == "verify":
            if importlib.util.find_spec("schemathesis") is None:
                print(
                    "alertmock verify needs Schemathesis, which alertmock's verify extra brings: "
                    "install it with the extra (from a checkout: pip install '.[verify]')",
                    file=sys.stderr,
                )
                return 2
            from alertmock.tools.verify.command import main as verify

            return verify(args)
        if args.command == "diff":
            from alertmock.tools.diff.command import main as diff

            return diff(args)
        if args.command == "import-har":
            from alertmock.tools.har import main as import_har

            return import_har(args)
        return {"serve": serve, "lint": lint}[args.command](args)
    except (UsageError, ConfigError, FixtureError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
