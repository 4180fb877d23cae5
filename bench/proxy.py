"""What `alertmock proxy` adds to each exchange: the same requests straight to a server, then through
the proxy in front of it.

The upstream is `alertmock serve` on the suite's contract, the proxy `alertmock proxy --upstream` on
the same contract; both are pinned to the server core (the proxy waits while the upstream works, so
they take turns) and wrk to the other. wrk keeps one connection (`-c1`), so a latency is one
exchange's and not a queue's; direct and proxied rounds alternate. The proxy's added latency per
exchange is the difference of the medians (p50): forwarding both ways plus checking the request and
the answer against the contract.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load import Result, median, run_wrk
from bench.scenarios import Scenario, Suite, call, seed
from bench.servers import Server, alertmock_command, free_port, start

# The kinds of exchange whose checks differ: a small JSON read, a JSON body checked on the way in,
# a 20-item XML answer parsed and checked on the way out.
PROXIED_SCENARIOS = ("matatika GET subscription", "scalingo POST create", "tableau XML list", "widgets GET one")


@dataclass(frozen=True)
class ProxyCost:
    scenario: str
    direct: Result
    proxied: Result

    @property
    def added_ms(self) -> float:
        return self.proxied.p50_ms - self.direct.p50_ms


def proxy_command(suite: Suite, port: int, upstream: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "alertmock.cli",
        "proxy",
        "--port",
        str(port),
        "--spec",
        str(suite.spec),
        "--upstream",
        upstream,
    ]


def measure(
    suite: Suite,
    scenarios: list[Scenario],
    *,
    seconds: float,
    rounds: int,
    cpu: str | None,
    load_core: str | None,
    logs: Path,
) -> list[ProxyCost]:
    chosen = [s for s in scenarios if s.name.startswith(PROXIED_SCENARIOS)]
    if not chosen:
        return []
    upstream = start("upstream", alertmock_command(suite, free_port(), ()), suite.probe, cpu, logs)
    if upstream is None:
        return []
    proxy: Server | None = None
    try:
        proxy = start("proxy", proxy_command(suite, free_port(), upstream.base), chosen[0], cpu, logs)
        if proxy is None:
            return []
        costs = []
        for scenario in chosen:
            seed(upstream.base, scenario)
            if call(proxy.base, scenario)[0] != scenario.expect:
                continue
            runs: dict[str, list[Result]] = {"direct": [], "proxied": []}
            for _ in range(rounds):
                for name, server in (("direct", upstream), ("proxied", proxy)):
                    runs[name].append(run_wrk(server.base, scenario, seconds=seconds, connections=1, cpu=load_core))
                    time.sleep(0.2)
            costs.append(ProxyCost(scenario.name, median(runs["direct"]), median(runs["proxied"])))
        return costs
    finally:
        for server in (proxy, upstream):
            if server is not None:
                server.stop()


def print_costs(costs: list[ProxyCost]) -> None:
    if not costs:
        print("proxy: not measured (no scenario of the suite to proxy, or a server did not start)")
        return
    print()
    print(f"{'alertmock proxy, wrk -c1':<28} | {'direct p50':>10} {'p99':>7} | {'proxied p50':>11} {'p99':>7} | added")
    for cost in costs:
        print(
            f"{cost.scenario:<28} | {cost.direct.p50_ms:>7.2f} ms {cost.direct.p99_ms:>7.2f} | "
            f"{cost.proxied.p50_ms:>8.2f} ms {cost.proxied.p99_ms:>7.2f} | {cost.added_ms:+.2f} ms per exchange"
        )
