"""Where `alertmock serve`'s resident memory goes, stage by stage, and how long it takes to start.

    python -m bench.memory                 # start-up, RSS after start, after seeding, after the requests
    python -m bench.memory --runs 3        # three fresh servers: the medians and each run's figures

The server is started as `python -m bench` starts it (bench/servers.py), alone on a free port.
RSS (the process tree's VmRSS) is read at three points:

1. after start-up (launch to the first 200 of the probe): imports, the resolved contract, the
   compiled routes and validators, the fixtures;
2. after every scenario has been seeded as the benchmark seeds it (20-item lists, sessions of 10,
   1,000 and 10,000 Tableau data alerts);
3. after the requests: each scenario sent `--requests` times over one kept-alive connection, the
   POST create until its collection reaches the store's cap (wrk's rounds create more than that),
   so the journal is full and every collection is as large as after a benchmark run.

The requests are counted, not timed, so the figures do not depend on the machine's load; start-up
does (launch to first 200, as `python -m bench` times it), so the CPU time the server used until
then is printed beside it. No wrk, no Prism: it runs anywhere the server runs.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import SUITES, Scenario, seed
from bench.servers import Server, alertmock_command, free_port, server_cpu, start

# What the benchmark's POST create reaches in its rounds: the store's default cap per collection.
CREATES = 10_000


@dataclass(frozen=True)
class Figures:
    startup_s: float
    startup_cpu_s: float
    started_mib: float
    seeded_mib: float
    loaded_mib: float


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), default="alertmock")
    parser.add_argument("--runs", type=int, default=1, help="fresh servers to measure (default 1)")
    parser.add_argument("--requests", type=int, default=1_000, help="requests per scenario (default 1,000)")
    parser.add_argument("--creates", type=int, default=CREATES, help=f"POST creates (default {CREATES:,})")
    parser.add_argument("--server-arg", action="append", default=[], help="extra `alertmock serve` argument")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    suite = SUITES[args.suite]
    server_core, _ = server_cpu()
    runs: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="alertmock-memory-") as tmp:
        for number in range(1, args.runs + 1):
            command = alertmock_command(suite, free_port(), tuple(args.server_arg))
            server = start("alertmock", command, suite.probe, server_core, Path(tmp))
            if server is None:
                print((Path(tmp) / "alertmock.log").read_text(errors="replace")[-2000:], file=sys.stderr)
                return 0
            try:
                figures = _measure(server, suite.scenarios, args.requests, args.creates)
            finally:
                server.stop()
            runs.append(figures)
            print(
                f"run {number}: start-up {figures.startup_s:.2f} s ({figures.startup_cpu_s:.2f} s CPU)   "
                f"RSS after start {figures.started_mib:.1f} MiB, "
                f"after seeding {figures.seeded_mib:.1f} MiB, after the requests {figures.loaded_mib:.1f} MiB",
                flush=True,
            )
    if len(runs) > 1:
        print(
            f"median: start-up {statistics.median(r.startup_s for r in runs):.2f} s "
            f"({statistics.median(r.startup_cpu_s for r in runs):.2f} s CPU)   RSS after start "
            f"{statistics.median(r.started_mib for r in runs):.1f} MiB, after seeding "
            f"{statistics.median(r.seeded_mib for r in runs):.1f} MiB, after the requests "
            f"{statistics.median(r.loaded_mib for r in runs):.1f} MiB"
        )
    return 0


def _measure(server: Server, scenarios: tuple[Scenario, ...], requests: int, creates: int) -> Figures:
    cpu = _cpu_seconds(server.process.pid)
    started = server.started_mib
    for scenario in scenarios:
        seed(server.base, scenario)
    seeded = server.rss_mib()
    for scenario in scenarios:
        count = creates if scenario.method == "POST" and scenario.expect == 201 else requests
        _send(server.base, scenario, count)
    return Figures(server.startup_s, cpu, started, seeded, server.rss_mib())


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used: start-up's cost whatever the machine's load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _send(base: str, scenario: Scenario, count: int) -> None:
    """`count` requests over one kept-alive connection, as wrk sends them."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    body = scenario.body.encode() if scenario.body is not None else None
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for _ in range(count):
            connection.request(scenario.method, scenario.path, body=body, headers=scenario.headers)
            connection.getresponse().read()
    finally:
        connection.close()


if __name__ == "__main__":
    raise SystemExit(main())
