"""The memory backend against Redis, one worker each, alternated in one run: what shared state costs.

    python -m bench --backends                 # or: python -m bench.backends [--seconds 5] [--rounds 2]

Starts a redis-server of its own (Debian's `redis-server`, on a free loopback port, no
persistence), then alertmock three ways, side by side: `--state memory`, `--state redis://…`
and `--state redis://… --workers 2` (each Redis setup in a database of its own). For each of the
main bench's scenarios it first counts the commands one Redis worker sends per request (MONITOR,
bench/round_trips.py: a script counts once, the journal's batches count their share), then runs
wrk against the three servers in turn, round after round, so that whatever else the machine is
doing weighs on all three alike; each figure is the median over the rounds. Nothing is pinned:
two workers need both cores, so on a 2-core machine wrk and redis-server share the cores with
the server, and the figures say what one box gives, not what the mock would do with cores to spare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.load import Result, median, run_wrk
from bench.round_trips import CommandCounter
from bench.scenarios import ALERTMOCK, Scenario, call, seed
from bench.servers import Server, alertmock_command, ensure_wrk, free_port, start

# Requests whose commands are counted, per scenario (after one to warm up).
COUNTED = 50
# What the issue holds one Redis worker to, against one memory worker (requests/s).
TARGETS = ("matatika GET subscription", "tableau XML list (20)", "scalingo POST create")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.backends", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of one wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--rounds", type=int, default=1, help="wrk runs per server and scenario (default 1)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not ensure_wrk():
        return 0
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is not installed (apt-get install redis-server): nothing to compare")
        return 0
    scenarios = list(ALERTMOCK.scenarios)
    print(
        f"memory vs Redis, alternated: {len(scenarios)} scenarios, {args.rounds} round(s) of {args.seconds:g} s "
        f"per server, wrk -t1 -c{args.connections}; nothing pinned; load average before: {_load()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="alertmock-backends-") as tmp:
        port = free_port()
        redis = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers: dict[str, Server] = {}
        try:
            time.sleep(0.5)
            setups = {
                "memory": (),
                "redis, 1 worker": ("--state", f"redis://127.0.0.1:{port}/0"),
                "redis, 2 workers": ("--state", f"redis://127.0.0.1:{port}/1", "--workers", "2"),
            }
            for name, extra in setups.items():
                server = start(
                    _slug(name), alertmock_command(ALERTMOCK, free_port(), extra), ALERTMOCK.probe, None, Path(tmp)
                )
                if server is None:
                    return 1
                servers[name] = server
            trips: dict[str, float] = {}
            results: dict[str, dict[str, Result]] = {name: {} for name in servers}
            for scenario in scenarios:
                if not all(_ready(server, scenario) for server in servers.values()):
                    continue
                trips[scenario.name] = _round_trips(servers["redis, 1 worker"], scenario, port)
                runs: dict[str, list[Result]] = {name: [] for name in servers}
                for _ in range(args.rounds):
                    for name, server in servers.items():
                        runs[name].append(_measure(server, scenario, args))
                for name in servers:
                    results[name][scenario.name] = median(runs[name])
                _print_line(scenario, trips[scenario.name], {name: results[name][scenario.name] for name in servers})
        finally:
            for server in servers.values():
                server.stop()
            redis.terminate()
            redis.wait(timeout=10)
    _print_table(scenarios, trips, results)
    print(f"\nload average after: {_load()}")
    return 0


def _slug(name: str) -> str:
    return name.replace(" ", "-").replace(",", "")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _ready(server: Server, scenario: Scenario) -> bool:
    seed(server.base, scenario)
    status, _ = call(server.base, scenario)
    if status != scenario.expect:
        print(f"  {server.name}: {scenario.name} answered {status}: not measured", flush=True)
        return False
    return True


def _round_trips(server: Server, scenario: Scenario, port: int) -> float:
    """Commands sent to Redis per request, one client at a time."""
    call(server.base, scenario)
    with CommandCounter(port) as counter:
        before = counter.settle()
        for _ in range(COUNTED):
            call(server.base, scenario)
        return (counter.settle() - before) / COUNTED


def _measure(server: Server, scenario: Scenario, args: argparse.Namespace) -> Result:
    run_wrk(server.base, scenario, seconds=1, connections=args.connections, cpu=None)
    return run_wrk(server.base, scenario, seconds=args.seconds, connections=args.connections, cpu=None)


def _print_line(scenario: Scenario, trips: float, results: dict[str, Result]) -> None:
    figures = "  ".join(f"{name}: {r.rps:,.0f} rps p99 {r.p99_ms:.1f} ms" for name, r in results.items())
    print(f"  {scenario.name:<28} {trips:.2f} trips/request  {figures}", flush=True)


def _print_table(scenarios: list[Scenario], trips: dict[str, float], results: dict[str, dict[str, Result]]) -> None:
    print()
    header = (
        f"{'scenario':<28} {'trips':>5} | {'memory rps':>10} {'p99':>6} | "
        f"{'redis 1w rps':>11} {'p99':>6} {'/mem':>5} | {'redis 2w rps':>11} {'p99':>6} {'/1w':>5}"
    )
    print(header)
    print("-" * len(header))
    memory, one, two = (results[n] for n in ("memory", "redis, 1 worker", "redis, 2 workers"))
    for scenario in scenarios:
        name = scenario.name
        if name not in trips:
            continue
        m, r1, r2 = memory[name], one[name], two[name]
        mark = " *" if name in TARGETS else ""
        print(
            f"{name:<28} {trips[name]:>5.2f} | {m.rps:>10,.0f} {m.p99_ms:>6.1f} | {r1.rps:>11,.0f} {r1.p99_ms:>6.1f} "
            f"{_ratio(r1, m):>5} | {r2.rps:>11,.0f} {r2.p99_ms:>6.1f} {_ratio(r2, r1):>5}{mark}"
        )
    print("* held to: one Redis worker at 0.5x one memory worker or more; two Redis workers not slower than one")


def _ratio(a: Result, b: Result) -> str:
    return f"{a.rps / b.rps:.2f}" if b.rps else "—"


if __name__ == "__main__":
    raise SystemExit(main())
