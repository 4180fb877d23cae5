"""The engine's own cost per request, without sockets: the ASGI app called directly in a loop.

    python -m bench.inprocess [--suite engine] [--only NAME] [-n 3000] [--cprofile]

Steadier than wrk on a shared machine (no scheduler, no network stack), so it is what to run
while optimising; the wrk benchmark (`python -m bench`) is the figure that counts.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
from typing import Any

from bench.scenarios import LIST_SIZE, SUITES, Scenario


def _scope(scenario: Scenario, body: bytes) -> dict[str, Any]:
    path, _, query = scenario.path.partition("?")
    # Host first, as HTTP/1.1 clients (curl, wrk, browsers, httpx) send it.
    headers = [(b"host", b"127.0.0.1:4010")]
    headers.extend((k.lower().encode(), v.encode()) for k, v in scenario.headers.items())
    if body:
        headers.append((b"content-length", str(len(body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": scenario.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4010),
        "state": {},
    }


async def request(app: Any, scenario: Scenario) -> tuple[int, bytes]:
    body = scenario.body.encode() if scenario.body is not None else b""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    status = 0
    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(_scope(scenario, body), receive, send)
    return status, b"".join(chunks)


async def _lifespan(app: Any) -> None:
    # Connexion builds its middleware stack on the first call; a lifespan startup does it up front.
    messages = iter([{"type": "lifespan.startup"}])

    async def receive() -> dict[str, Any]:
        try:
            return next(messages)
        except StopIteration:
            await asyncio.sleep(3600)
            return {"type": "lifespan.shutdown"}

    async def send(message: dict[str, Any]) -> None:
        pass

    task = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send))
    await asyncio.sleep(0.05)
    task.cancel()


async def measure(app: Any, scenario: Scenario, n: int, profile: cProfile.Profile | None) -> float:
    for _ in range(50):
        status, body = await request(app, scenario)
    if status != scenario.expect:
        raise SystemExit(f"{scenario.name}: {status} {body[:300]!r}")
    if profile:
        profile.enable()
    started = time.perf_counter()
    for _ in range(n):
        await request(app, scenario)
    elapsed = time.perf_counter() - started
    if profile:
        profile.disable()
    return elapsed / n * 1e6


def main(argv: list[str] | None = None) -> int:
    from alertmock import Config, create_app

    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=sorted(SUITES), default="alertmock")
    parser.add_argument("--only")
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--validate-responses", action="store_true")
    args = parser.parse_args(argv)
    suite = SUITES[args.suite]
    config = Config(
        spec=suite.spec, fixtures=suite.fixtures, seed=1, validate_responses=args.validate_responses, quiet=True
    )
    app = create_app(config)

    async def run() -> None:
        await _lifespan(app)
        for scenario in suite.scenarios:
            if args.only and args.only.lower() not in scenario.name.lower():
                continue
            if scenario.seed_kind:
                await _seed(app, scenario)
            profile = cProfile.Profile() if args.cprofile else None
            micros = await measure(app, scenario, args.n, profile)
            print(f"{scenario.name:<30} {micros:8.1f} µs/request  ({1e6 / micros:,.0f} rps on one core)", flush=True)
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)

    asyncio.run(run())
    return 0


async def _seed(app: Any, scenario: Scenario) -> None:
    """As `bench.scenarios.seed`: batches of generated records until the list is full."""
    from bench.scenarios import count_list_items, seed_body, sized_seed

    if scenario.collection is not None:
        sized = sized_seed(scenario)
        if sized is not None:
            await request(app, sized)
        return

    for _ in range(20):
        status, body = await request(app, scenario)
        have = count_list_items(body)
        if status != 200 or have >= LIST_SIZE:
            return
        # Under the parent the list reads (seed_body), as `bench.scenarios.seed` does.
        more = seed_body(scenario, 2 * (LIST_SIZE - have))
        await request(app, Scenario("seed", "POST", "/__mock/seed", {"Content-Type": "application/json"}, more))


if __name__ == "__main__":
    raise SystemExit(main())
