"""Starting the servers under test (pinned to one core), timing their start-up, reading their memory.

Also finds or installs the tools: wrk from Debian's packages, Prism from npm into the git-ignored
bench/node_modules (pinned in bench/package.json).
"""

from __future__ import annotations

import compileall
import functools
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.scenarios import ROOT, Scenario, Suite, call

BENCH = Path(__file__).resolve().parent
PRISM_BIN = BENCH / "node_modules" / ".bin" / "prism"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    startup_s: float
    log: Path
    notes: list[str] = field(default_factory=list)
    # Resident memory once it answered: what start-up loaded, before any data or traffic.
    started_mib: float = 0.0

    def rss_mib(self) -> float:
        """Resident memory of the server and its child processes (npx/node spawn some)."""
        return sum(_rss_kib(pid) for pid in _tree(self.process.pid)) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_cpu() -> tuple[str | None, str | None]:
    """(server core, load-generator core): separate cores when taskset and two cores exist."""
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return "0", "1"
    return None, None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alertmock_command(suite: Suite, port: int, extra: tuple[str, ...]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "alertmock.cli",
        "serve",
        "--port",
        str(port),
        "--spec",
        str(suite.spec),
        "--fixtures",
        str(suite.fixtures),
        "--seed",
        "1",
        # Prism runs with `-v warn`: neither prints a line per request.
        "--quiet",
        *extra,
    ]


def prism_command(suite: Suite, port: int) -> list[str]:
    # The peer configuration: quiet logging (`-v warn`), static examples. Started with node
    # directly rather than through npx so the npm wrapper's own start-up is not counted.
    return ["node", str(PRISM_BIN), "mock", "-v", "warn", "-h", "127.0.0.1", "-p", str(port), str(suite.spec)]


def start(name: str, command: list[str], probe: Scenario, cpu: str | None, log_dir: Path) -> Server | None:
    port = int(command[command.index("--port" if "--port" in command else "-p") + 1])
    base = f"http://127.0.0.1:{port}"
    if command[0] == sys.executable:
        compile_bytecode()
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    log = log_dir / f"{name}.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # its bytecode: `compile_bytecode`
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    deadline = started + 60
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            print(f"  {name} exited with {process.returncode}; see {log}", file=sys.stderr)
            return None
        status, _ = call(base, probe, timeout=1.0)
        if status == probe.expect:
            server = Server(name, process, base, time.perf_counter() - started, log)
            server.started_mib = server.rss_mib()
            return server
        time.sleep(0.005)
    process.kill()
    print(f"  {name} did not answer {probe.expect} within 60 s; see {log}", file=sys.stderr)
    return None


@functools.cache
def compile_bytecode() -> None:
    """Compile the checkout's modules to bytecode, as `pip install` does when it installs a package.

    A server started with bytecode on disk reads it; one without compiles every module first (a
    third of a second here), and Python writes that bytecode on a first run only where
    PYTHONDONTWRITEBYTECODE is unset. Compiled once here, every run times the same start: an
    installed alertmock's. The servers themselves still write nothing (see `start`).
    """
    for package in ("alertmock", "handlers"):
        compileall.compile_dir(ROOT / package, quiet=1)


def ensure_wrk() -> bool:
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)…", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if shutil.which("wrk"):
        return True
    print("wrk is needed: `sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk` (macOS).", file=sys.stderr)
    return False


def ensure_prism() -> str | None:
    """None when Prism is ready, else why it is skipped."""
    if not shutil.which("node"):
        return "Node.js is not installed (apt-get install nodejs npm): Prism skipped"
    if PRISM_BIN.exists():
        return None
    if not shutil.which("npm"):
        return "npm is not installed: Prism skipped"
    print("Installing Prism into bench/node_modules (npm install, pinned in bench/package.json)…", flush=True)
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel", "error"], cwd=BENCH, capture_output=True, text=True
    )
    if done.returncode != 0 or not PRISM_BIN.exists():
        return f"npm install failed: Prism skipped ({done.stderr.strip()[-300:]})"
    return None


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
