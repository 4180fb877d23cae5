"""What a request costs, counted instead of timed: the same figure on a busy machine as on an idle one.

    python -m bench.count --only "XML list"                 # bytecodes per request, by module and function
    python -m bench.count --only "POST create" --instructions   # CPU instructions per request (valgrind)

Timings on a shared 2-core machine move by ±20% from run to run, more than most single changes
save. Two counts do not move:

- bytecodes: the Python bytecode instructions a request executes (a `sys.settrace` opcode
  hook, in the engine's in-process loop), by module and by function (self). Where the Python
  work is, and how much of it a change removed. It does not see C code (orjson, regular
  expressions, dict operations), which the second count does.
- instructions (`--instructions`): the CPU instructions the process executes per request,
  under valgrind's callgrind: the whole cost, C included, the difference of a run of N requests
  and a run of none, so start-up cancels out. Needs valgrind (`apt-get install valgrind`);
  about a minute and a half per scenario.

Compare old against new by running it in two checkouts (a `git worktree` of the old commit).
The wrk benchmark against Prism (`python -m bench`) stays the figure that counts.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from bench.inprocess import _lifespan, _seed, request
from bench.scenarios import SUITES, Scenario

WARM_UP = 100
# Frames of the loop itself (the in-process harness, asyncio) are not the engine's cost.
_HARNESS = ("bench/inprocess.py", "bench/count.py", "/asyncio/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.count", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), default="alertmock")
    parser.add_argument("--only", required=True, help="the scenario (a part of its name)")
    parser.add_argument("-n", type=int, default=20, help="requests counted (default 20; 200 with --instructions)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--instructions", action="store_true", help="CPU instructions under valgrind")
    # Internal: the run valgrind counts (N requests after the warm-up, nothing printed).
    parser.add_argument("--quiet-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    scenario = _scenario(args.suite, args.only)
    if args.quiet_run is not None:
        asyncio.run(_serve(args.suite, scenario, args.quiet_run, None))
        return 0
    if args.instructions:
        return _instructions(args.suite, scenario, args.n if args.n != 20 else 200)
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    asyncio.run(_serve(args.suite, scenario, args.n, counts))
    _report(scenario, counts, args.n, args.top)
    return 0


def _scenario(suite: str, only: str) -> Scenario:
    for scenario in SUITES[suite].scenarios:
        if only.lower() in scenario.name.lower():
            return scenario
    raise SystemExit(f"no scenario matches {only!r}")


async def _serve(suite_name: str, scenario: Scenario, n: int, counts: collections.Counter | None) -> None:
    from alertmock import Config, create_app

    suite = SUITES[suite_name]
    app = create_app(Config(spec=suite.spec, fixtures=suite.fixtures, seed=1, quiet=True))
    await _lifespan(app)
    if scenario.seed_kind:
        await _seed(app, scenario)
    for _ in range(WARM_UP):
        status, body = await request(app, scenario)
    if status != scenario.expect:
        raise SystemExit(f"{scenario.name}: answered {status}, expected {scenario.expect}: {body[:200]!r}")
    if counts is not None:
        sys.settrace(_tracer(counts))
    try:
        for _ in range(n):
            await request(app, scenario)
    finally:
        sys.settrace(None)


def _tracer(counts: collections.Counter[tuple[str, str]]) -> Any:
    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        key = (frame.f_code.co_filename, frame.f_code.co_name)

        def each(frame: FrameType, event: str, arg: Any) -> Any:
            if event == "opcode":
                counts[key] += 1
            return each

        return each

    return trace


def _report(scenario: Scenario, counts: collections.Counter[tuple[str, str]], n: int, top: int) -> None:
    own = {key: count for key, count in counts.items() if not any(h in key[0] for h in _HARNESS)}
    modules: collections.Counter[str] = collections.Counter()
    for (filename, _), count in own.items():
        modules[_short(filename)] += count
    print(f"{scenario.name}: {sum(own.values()) / n:,.0f} bytecodes per request")
    print("by module:")
    for module, count in modules.most_common(top):
        print(f"  {count / n:7,.0f}  {module}")
    print("by function (self):")
    for (filename, name), count in collections.Counter(own).most_common(top):
        print(f"  {count / n:7,.0f}  {_short(filename)}:{name}")


def _short(filename: str) -> str:
    filename = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", filename)
    return re.sub(r".*/(alertmock|handlers|bench|tests)/", r"\1/", filename)


def _instructions(suite: str, scenario: Scenario, n: int) -> int:
    if not shutil.which("valgrind"):
        print("valgrind is needed for --instructions: apt-get install valgrind", file=sys.stderr)
        return 0
    none, some = (_callgrind(suite, scenario, runs) for runs in (0, n))
    print(f"{scenario.name}: {(some - none) / n:,.0f} CPU instructions per request (callgrind, {n} requests)")
    return 0


def _callgrind(suite: str, scenario: Scenario, n: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.count",
        "--suite",
        suite,
        "--only",
        scenario.name,
        "--quiet-run",
        str(n),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


if __name__ == "__main__":
    raise SystemExit(main())
