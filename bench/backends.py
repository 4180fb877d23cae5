"""The memory backend against Redis, with 1 and 2 workers: what shared state costs per request.

    python -m bench --backends                 # or: python -m bench.backends [--seconds 5]

Starts a redis-server of its own (Debian's `redis-server`, on a free loopback port, no
persistence), then alertmock three ways: `--state memory`, `--state redis://…` and `--state
redis://… --workers 2`, and runs the same wrk scenarios against each. Nothing is pinned: two
workers need both cores, so on a 2-core machine wrk and redis-server share the cores with the
server, and the figures say what one box gives, not what the mock would do with cores to spare.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.load import Result, run_wrk
from bench.scenarios import ALERTMOCK, Scenario, call, seed
from bench.servers import alertmock_command, ensure_wrk, free_port, start

# One read, one write, two lists (the second at 10,000 records in the collection).
SCENARIOS = (
    "matatika GET subscription",
    "scalingo POST create",
    "tableau XML list (20)",
    "tableau list, 10,000 stored",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.backends", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of one wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not ensure_wrk():
        return 0
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is not installed (apt-get install redis-server): nothing to compare")
        return 0
    scenarios = [s for s in ALERTMOCK.scenarios if s.name in SCENARIOS]
    print(
        f"memory vs Redis, 1 and 2 workers: {len(scenarios)} scenarios, {args.seconds:g} s each, "
        f"wrk -t1 -c{args.connections}; nothing pinned: wrk and redis-server share the cores with the server",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="alertmock-backends-") as tmp:
        port = free_port()
        redis = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(0.5)
            url = f"redis://127.0.0.1:{port}/0"
            setups = {
                "memory": (),
                "redis, 1 worker": ("--state", url),
                "redis, 2 workers": ("--state", url, "--workers", "2"),
            }
            results = {name: _measure(name, extra, scenarios, args, Path(tmp)) for name, extra in setups.items()}
        finally:
            redis.terminate()
            redis.wait(timeout=10)
    _print_table(scenarios, results)
    return 0


def _measure(
    name: str, extra: tuple[str, ...], scenarios: list[Scenario], args: argparse.Namespace, logs: Path
) -> dict[str, Result]:
    server = start(
        name.replace(" ", "-").replace(",", ""),
        alertmock_command(ALERTMOCK, free_port(), extra),
        ALERTMOCK.probe,
        None,
        logs,
    )
    if server is None:
        return {}
    measured: dict[str, Result] = {}
    try:
        for scenario in scenarios:
            seed(server.base, scenario)
            status, _ = call(server.base, scenario)
            if status != scenario.expect:
                print(f"  {name}: {scenario.name} answered {status}: not measured", flush=True)
                continue
            run_wrk(server.base, scenario, seconds=1, connections=args.connections, cpu=None)
            result = run_wrk(server.base, scenario, seconds=args.seconds, connections=args.connections, cpu=None)
            measured[scenario.name] = result
            print(f"  {name:<17} {scenario.name:<28} {result.rps:>8,.0f} rps  p99 {result.p99_ms:6.2f} ms", flush=True)
    finally:
        server.stop()
    return measured


def _print_table(scenarios: list[Scenario], results: dict[str, dict[str, Result]]) -> None:
    names = list(results)
    print()
    header = f"{'scenario':<28}" + "".join(f" | {n + ' rps':>22} {'p99 ms':>7}" for n in names)
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        row = f"{scenario.name:<28}"
        for n in names:
            r = results[n].get(scenario.name)
            row += f" | {r.rps:>22,.0f} {r.p99_ms:>7.2f}" if r else f" | {'—':>22} {'—':>7}"
        print(row)


if __name__ == "__main__":
    raise SystemExit(main())
