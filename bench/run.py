"""alertmock against Stoplight Prism on the same contract: throughput, latency, start-up, memory.

    python -m bench                      # the issue's scenarios, 2 rounds of 10 s per server
    python -m bench --seconds 5 --rounds 1 --no-prism
    python -m bench --suite engine       # the engine's own tiny contract (no vendor file needed)
    python -m bench --backends           # memory against Redis, 1 and 2 workers (bench/backends.py)
    python -m bench --proxy-only         # only what `alertmock proxy` adds per exchange

Each server is pinned to core 0 and wrk (-t1 -c32) to core 1; every scenario runs A B A B
(alertmock, Prism, alternating) and the table shows the medians. It prints figures and exits 0
whatever they are: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from bench import proxy
from bench.load import Result, median, run_wrk
from bench.scenarios import SUITES, Scenario, Suite, call, seed
from bench.servers import (
    Server,
    alertmock_command,
    ensure_prism,
    ensure_wrk,
    free_port,
    prism_command,
    server_cpu,
    start,
)

WARMUP_SECONDS = 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), default="alertmock", help="scenario set (default alertmock)")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of one wrk round (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per server and scenario (default 2: A B A B)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--only", help="run only scenarios whose name contains this text")
    parser.add_argument("--no-prism", action="store_true", help="measure alertmock alone")
    parser.add_argument(
        "--server-arg", action="append", default=[], help="extra `alertmock serve` argument (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--backends",
        action="store_true",
        help="the memory backend against Redis with 1 and 2 workers (bench/backends.py)",
    )
    parser.add_argument("--no-proxy", action="store_true", help="skip the proxy's added latency per exchange")
    parser.add_argument("--proxy-only", action="store_true", help="measure only the proxy's added latency")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.backends:
        from bench.backends import main as compare_backends

        return compare_backends(
            ["--seconds", str(args.seconds), "--connections", str(args.connections), "--rounds", str(args.rounds)]
        )
    suite = SUITES[args.suite]
    scenarios = [s for s in suite.scenarios if not args.only or args.only.lower() in s.name.lower()]
    if not ensure_wrk():
        return 0
    server_core, load_core = server_cpu()
    prism_skip = "--no-prism given" if args.no_prism else ensure_prism()
    print(
        f"suite {suite.name}: {len(scenarios)} scenarios, {args.rounds} x {args.seconds:g} s per server, "
        f"wrk -t1 -c{args.connections}; server on core {server_core}, wrk on core {load_core}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="alertmock-bench-") as tmp:
        logs = Path(tmp)
        if args.proxy_only:
            proxy.print_costs(_proxy_costs(suite, scenarios, args, server_core, load_core, logs))
            return 0
        servers = _start_servers(suite, scenarios[0], args, server_core, logs, prism_skip)
        if "alertmock" not in servers:
            print("alertmock did not start: nothing to measure", file=sys.stderr)
            for line in (logs / "alertmock.log").read_text(errors="replace").splitlines()[-20:]:
                print("  " + line, file=sys.stderr)
            return 0
        try:
            results = _measure(suite, scenarios, servers, args, load_core)
            memory = {name: server.rss_mib() for name, server in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
        costs = [] if args.no_proxy else _proxy_costs(suite, scenarios, args, server_core, load_core, logs)
    _print_table(scenarios, servers, results, memory, prism_skip)
    if not args.no_proxy:
        proxy.print_costs(costs)
    if args.json:
        _write_json(args.json, scenarios, servers, results, memory)
    return 0


def _proxy_costs(
    suite: Suite,
    scenarios: list[Scenario],
    args: argparse.Namespace,
    server_core: str | None,
    load_core: str | None,
    logs: Path,
) -> list[proxy.ProxyCost]:
    print("alertmock proxy: direct and proxied rounds, wrk -c1", flush=True)
    return proxy.measure(
        suite, scenarios, seconds=args.seconds, rounds=args.rounds, cpu=server_core, load_core=load_core, logs=logs
    )


def _start_servers(
    suite: Suite, probe: Scenario, args: argparse.Namespace, cpu: str | None, logs: Path, prism_skip: str | None
) -> dict[str, Server]:
    # One at a time, so no start-up competes with another for the core.
    servers: dict[str, Server] = {}
    extra = tuple(args.server_arg)
    candidates = [("alertmock", alertmock_command(suite, free_port(), extra))]
    if prism_skip is None:
        candidates.append(("prism", prism_command(suite, free_port())))
    for name, command in candidates:
        server = start(name, command, probe, cpu, logs)
        if server is not None:
            servers[name] = server
    return servers


def _measure(
    suite: Suite,
    scenarios: list[Scenario],
    servers: dict[str, Server],
    args: argparse.Namespace,
    load_core: str | None,
) -> dict[tuple[str, str], list[Result]]:
    results: dict[tuple[str, str], list[Result]] = {}
    serving: dict[tuple[str, str], bool] = {}
    for scenario in scenarios:
        for name, server in servers.items():
            if name != "prism":
                note = seed(server.base, scenario)
                if note:
                    server.notes.append(f"{scenario.name}: {note}")
            status, body = call(server.base, scenario)
            serving[(name, scenario.name)] = status == scenario.expect
            if status != scenario.expect:
                server.notes.append(
                    f"{scenario.name}: answered {status}, expected {scenario.expect} ({body[:160]!r}): not measured"
                )
                continue
            run_wrk(server.base, scenario, seconds=WARMUP_SECONDS, connections=args.connections, cpu=load_core)
    for round_number in range(1, args.rounds + 1):
        for scenario in scenarios:
            for name, server in servers.items():
                if not serving[(name, scenario.name)]:
                    continue
                result = run_wrk(
                    server.base, scenario, seconds=args.seconds, connections=args.connections, cpu=load_core
                )
                results.setdefault((name, scenario.name), []).append(result)
                print(
                    f"  round {round_number}  {name:<9} {scenario.name:<28} {result.rps:>9,.0f} rps  "
                    f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms"
                    + (f"  ({result.bad} bad answers)" if result.bad else ""),
                    flush=True,
                )
                time.sleep(0.2)
    return results


def _fmt(value: float, pattern: str) -> str:
    return "—" if math.isnan(value) else format(value, pattern)


def _print_table(
    scenarios: list[Scenario],
    servers: dict[str, Server],
    results: dict[tuple[str, str], list[Result]],
    memory: dict[str, float],
    prism_skip: str | None,
) -> None:
    names = list(servers)
    mocks = [n for n in names if n != "prism"]
    print()
    header = f"{'scenario':<28}" + "".join(f" | {n + ' rps':>15} {'p50 ms':>7} {'p99 ms':>7}" for n in names)
    if "prism" in servers:
        header += "".join(f" | {n + '/Prism rps':>19} {'p99':>6}" for n in mocks)
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        medians = {n: median(results.get((n, scenario.name), [])) for n in names}
        row = f"{scenario.name:<28}"
        for n in names:
            m = medians[n]
            row += f" | {_fmt(m.rps, ',.0f'):>15} {_fmt(m.p50_ms, '.2f'):>7} {_fmt(m.p99_ms, '.2f'):>7}"
        if "prism" in servers:
            peer = medians["prism"]
            for n in mocks:
                ratio = medians[n].rps / peer.rps if peer.rps else float("nan")
                p99 = medians[n].p99_ms / peer.p99_ms if peer.rps else float("nan")
                row += f" | {_fmt(ratio, '.2f') + 'x':>19} {_fmt(p99, '.2f') + 'x':>6}"
        bad = {n: m.bad for n, m in medians.items() if m.bad > 0}
        print(row + (f"   (non-2xx/socket errors: {bad})" if bad else ""))
    print()
    for name, server in servers.items():
        startup, rss = server.startup_s, memory[name]
        print(
            f"{name:<9} start-up {startup:5.2f} s (launch to first 200)   "
            f"RSS {server.started_mib:6.1f} MiB after start-up, {rss:6.1f} MiB after the run"
        )
    if prism_skip:
        print(f"prism     {prism_skip}")
    for name, server in servers.items():
        for note in server.notes:
            print(f"note: {name}: {note}")
    if "prism" in servers:
        print("ratios: rps above 1x is faster than Prism; p99 below 1x is better")


def _write_json(
    path: Path,
    scenarios: list[Scenario],
    servers: dict[str, Server],
    results: dict[tuple[str, str], list[Result]],
    memory: dict[str, float],
) -> None:
    data = {
        "servers": {
            name: {
                "startup_s": s.startup_s,
                "rss_started_mib": s.started_mib,
                "rss_mib": memory[name],
                "notes": s.notes,
            }
            for name, s in servers.items()
        },
        "scenarios": {
            scenario.name: {name: [vars(r) for r in results.get((name, scenario.name), [])] for name in servers}
            for scenario in scenarios
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
