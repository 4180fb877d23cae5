"""Where alertmock's time goes, per scenario: py-spy samples the server while wrk drives it.

    python -m bench.profile --only "GET subscription" [--seconds 8] [--suite engine] [--svg out.svg]

Prints the functions with the largest inclusive share of the samples (grouped by module), so a
regression is visible without opening a flame graph. Needs py-spy (`pip install py-spy`).
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import run_wrk
from bench.scenarios import SUITES, seed
from bench.servers import alertmock_command, ensure_wrk, free_port, server_cpu, start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), default="alertmock")
    parser.add_argument("--only", required=True, help="the scenario (a part of its name)")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--server-arg", action="append", default=[])
    parser.add_argument("--svg", type=Path, help="also write a flame graph")
    args = parser.parse_args(argv)
    if not shutil.which("py-spy"):
        print("py-spy is needed: pip install py-spy", file=sys.stderr)
        return 0
    if not ensure_wrk():
        return 0
    suite = SUITES[args.suite]
    scenario = next(s for s in suite.scenarios if args.only.lower() in s.name.lower())
    server_core, load_core = server_cpu()
    with tempfile.TemporaryDirectory() as tmp:
        server = start(
            "alertmock",
            alertmock_command(suite, free_port(), tuple(args.server_arg)),
            suite.scenarios[0],
            server_core,
            Path(tmp),
        )
        if server is None:
            return 0
        try:
            seed(server.base, scenario)
            run_wrk(server.base, scenario, seconds=1, connections=32, cpu=load_core)
            raw = Path(tmp) / "profile.txt"
            spy = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "--pid",
                    str(server.process.pid),
                    "--rate",
                    "250",
                    "--format",
                    "raw",
                    "--output",
                    str(raw),
                    "--duration",
                    str(int(args.seconds) + 1),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            result = run_wrk(server.base, scenario, seconds=args.seconds, connections=32, cpu=load_core)
            spy.wait(timeout=60)
            print(f"{scenario.name}: {result.rps:,.0f} rps under the profiler (sampling slows it)")
            report(raw.read_text(), args.top)
            if args.svg:
                _svg(raw, args.svg)
        finally:
            server.stop()
    return 0


def report(collapsed: str, top: int) -> None:
    """Inclusive and self share of each function, from py-spy's collapsed stacks."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        # Idle time (the event loop waiting in select/epoll) is not work.
        if frames and re.search(r"\b(select|poll|_run_once|epoll)\b", frames[-1]):
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    if not total:
        print("no samples")
        return
    print(f"{total} busy samples; inclusive% self%  function (file)")
    for frame, count in inclusive.most_common(top):
        print(f"  {100 * count / total:5.1f} {100 * own[frame] / total:5.1f}  {frame}")
    print("top self time:")
    for frame, count in own.most_common(20):
        print(f"  {100 * count / total:5.1f}  {frame}")


def _short(frame: str) -> str:
    # "func (path/to/site-packages/pkg/mod.py:123)" -> "func (pkg/mod.py)"
    match = re.match(r"(.*?) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    name, path = match.groups()
    path = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", path)
    path = re.sub(r".*/(alertmock|handlers|tests)/", r"\1/", path)
    return f"{name} ({path})"


def _svg(raw: Path, out: Path) -> None:
    # py-spy writes SVGs itself; collapsed stacks are kept for `report`, so only point at the tool.
    print(f"for a flame graph: py-spy record --pid <server pid> -o {out}")


if __name__ == "__main__":
    raise SystemExit(main())
