"""Driving wrk: a Lua script per scenario (method, headers, body) and its report parsed."""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import Scenario

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx answers plus socket errors

    @classmethod
    def failed(cls) -> Result:
        return cls(0.0, float("nan"), float("nan"), 0, -1)


def median(results: list[Result]) -> Result:
    """The median of each figure over the rounds that ran (a failed round has bad < 0)."""
    ok = [r for r in results if r.bad >= 0]
    if not ok:
        return Result.failed()
    return Result(
        rps=statistics.median(r.rps for r in ok),
        p50_ms=statistics.median(r.p50_ms for r in ok),
        p99_ms=statistics.median(r.p99_ms for r in ok),
        requests=sum(r.requests for r in ok),
        bad=sum(r.bad for r in ok),
    )


def lua_script(scenario: Scenario, directory: Path) -> Path:
    """wrk's request as a script: wrk.format() builds it once, so the script costs nothing per request."""
    path = directory / (re.sub(r"\W+", "_", scenario.name) + ".lua")
    lines = [f"wrk.method = {_lua(scenario.method)}"]
    for name, value in scenario.headers.items():
        lines.append(f"wrk.headers[ {_lua(name)} ] = {_lua(value)}")  # "[[" would open a Lua string
    if scenario.body is not None:
        lines.append(f"wrk.body = {_lua(scenario.body)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _lua(text: str) -> str:
    # A long bracket string never needs escaping (the texts here hold no "]==]").
    return f"[==[{text}]==]"


def run_wrk(
    base: str,
    scenario: Scenario,
    *,
    seconds: float,
    connections: int,
    cpu: str | None,
    script_dir: Path | None = None,
) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        script = lua_script(scenario, script_dir or Path(tmp))
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(script),
            base + scenario.path,
        ]
        if cpu is not None:
            command = ["taskset", "-c", cpu, *command]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if completed.returncode != 0:
        return Result.failed()
    return parse_wrk(completed.stdout)


def parse_wrk(report: str) -> Result:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", report)
    total = re.search(r"(\d+) requests in", report)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\b", report, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\b", report, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    if not (rps and total and p50 and p99):
        return Result.failed()
    bad = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        bad += sum(int(n) for n in sockets.groups())
    return Result(
        rps=float(rps.group(1)),
        p50_ms=float(p50.group(1)) * _UNITS[p50.group(2)],
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        requests=int(total.group(1)),
        bad=bad,
    )
