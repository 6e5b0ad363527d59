"""Messenger users against the whole bot on loopback (real Rasa server, real action server, fake Graph API, fake CDN
and Wikipedia): ack latency, message -> reply latency, replies per second, lost and duplicated messages.

    .venv/bin/python -m benchmarks.load [--scenario steady|stock|rasa-kill|actions-kill|slow|pairs|all]
                                        [--users 20] [--seconds 120] [--think-s 0.3]

Scenarios (bounded in time; each prints one row per run):
  steady        N users for the whole time
  stock         the same load against Rasa's stock FacebookInput (benchmarks/stock_facebook.py), and the ratios
  rasa-kill     the Rasa server SIGKILLed halfway and restarted: no acknowledged message lost, none answered twice
  actions-kill  the action server SIGKILLed halfway and restarted: every message one reply (answer or apology)
  slow          Wikipedia down then hanging, one image host taking 5 s, one serving 50 MB: the other users' replies
  pairs         1 and then 2 Rasa + action server pairs (sharing Redis and PostgreSQL) under the same load
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from testkit.http_server import FakeHTTPServer, Reply
from testkit.load import Load, LoadResult, LoadRun, pct
from testkit.processes import RASA_MODEL, ROOT, Server, free_port
from testkit.stack import GRAPH_VERSION, SECRET, Stack, start_stack
from testkit.stores import start_postgres, start_redis

STOCK_CREDENTIALS = (
    "benchmarks.stock_facebook.StockFacebookInput:\n  verify: v\n  secret: {secret}\n  page-access-token: t\n"
)


def run(
    stack: Stack,
    load: Load,
    name: str,
    during: Callable[[], None] | None = None,
    webhooks: list[str] | None = None,
    photo_urls: list[str] | None = None,
) -> LoadResult:
    """One load run; `during` is called halfway (in a thread: kills and restarts)."""
    runner = LoadRun(webhooks or stack.webhooks, stack.inbox, photo_urls or stack.photo_urls, SECRET, load)
    if during is not None:
        threading.Timer(load.duration_s / 2, during).start()
    result = asyncio.run(runner.run(name))
    print(result.row(), flush=True)
    return result


def steady(stack: Stack, load: Load) -> LoadResult:
    return run(stack, load, f"ours, {load.users} users")


def stock(stack: Stack, load: Load, ours: LoadResult | None) -> None:
    """The same load against a Rasa server with the stock connector (same model, action server, fakes)."""
    ours = ours or steady(stack, load)
    tmp = Path(tempfile.mkdtemp(prefix="fruitbot-stock-"))
    credentials = tmp / "credentials.yml"
    credentials.write_text(STOCK_CREDENTIALS.format(secret=SECRET))
    port = free_port()
    env = {
        "STOCK_GRAPH_URL": f"{stack.graph.url}/{GRAPH_VERSION}",
        "ACTION_ENDPOINT_URL": stack.rasa[0].env["ACTION_ENDPOINT_URL"],
        "ACTIONS_TOKEN": stack.rasa[0].env["ACTIONS_TOKEN"],
        "TRACKER_DB": str(tmp / "tracker.sqlite"),
        "PYTHONPATH": str(ROOT),
    }
    cmd = [str(ROOT / ".venv-rasa/bin/rasa"), "run", "-m", str(RASA_MODEL), "--credentials", str(credentials)]
    cmd += ["--endpoints", "endpoints.yml", "--interface", "127.0.0.1", "--port", str(port)]
    server = Server("stock rasa", cmd, env, tmp / "rasa.log", f"http://127.0.0.1:{port}/", 240)
    try:
        webhook = f"http://127.0.0.1:{port}/webhooks/facebook/webhook"
        theirs = run(stack, load, f"Rasa's FacebookInput, {load.users} users", webhooks=[webhook])
    finally:
        server.stop()
    acks = lambda r: [a for s in r.sent for a in s.acks_ms]  # noqa: E731
    print(
        f"ratios (stock / ours): ack p95 {pct(acks(theirs), 95) / pct(acks(ours), 95):.1f}x, "
        f"replies/s {theirs.replies / theirs.seconds / (ours.replies / ours.seconds):.2f}x, "
        f"lost {theirs.lost} vs {ours.lost}, duplicated {theirs.duplicates} vs {ours.duplicates}"
    )


def restart(server: Server) -> Callable[[], None]:
    def kill_and_restart() -> None:
        print(f"  {time.strftime('%H:%M:%S')} SIGKILL {server.name}, restarting it", flush=True)
        server.kill()
        server.start(wait=False)

    return kill_and_restart


def slow(stack: Stack, load: Load) -> None:
    """Wikipedia answers 500, then (halfway) hangs; a few users' photos come from a 5 s host, one from a host
    serving 50 MB; the others' replies are measured apart."""
    slow_host, huge_host = FakeHTTPServer(), FakeHTTPServer()
    slow_host.routes["/slow.jpg"] = Reply(200, (ROOT / "tests/fixtures/banana.jpg").read_bytes(), delay_s=5)
    huge_host.routes["/huge.jpg"] = Reply(200, endless(50 * 1024 * 1024))
    for title in ("Banana", "Lemon", "Strawberry"):
        stack.cdn.routes[f"/page/summary/{title}"] = Reply(500, b"down")

    def hang() -> None:
        for title in ("Banana", "Lemon", "Strawberry"):
            stack.cdn.routes[f"/page/summary/{title}"] = Reply(200, b'{"extract": "too late"}', delay_s=30)

    photo_urls = [*stack.photo_urls, f"{slow_host.url}/slow.jpg", f"{huge_host.url}/huge.jpg"]
    try:
        result = run(
            stack, load, f"Wikipedia down, slow and huge image hosts, {load.users} users", hang, photo_urls=photo_urls
        )
    finally:
        slow_host.close()
        huge_host.close()
    others = [s.reply_ms for s in result.sent if s.reply_ms is not None and not s.photo]
    print(f"  text replies meanwhile: p50 {pct(others, 50):.0f} ms, p95 {pct(others, 95):.0f} ms")


def endless(total: int) -> Iterator[bytes]:
    for _ in range(total // 65536):
        yield b"\xff" * 65536


def pairs(load: Load, one: LoadResult | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="fruitbot-pairs-"))
    redis, postgres = start_redis(tmp / "redis"), start_postgres()
    try:
        if one is None:
            stack = start_stack()
            try:
                one = steady(stack, load)
            finally:
                stack.close()
        stack = start_stack(pairs=2, stores=(redis, postgres))
        try:
            two = run(stack, load, f"2 pairs on Redis + PostgreSQL, {load.users} users")
        finally:
            stack.close()
    finally:
        postgres.stop()
        redis.stop()
    replies = [r.replies / r.seconds for r in (one, two)]
    p95 = [pct([s.reply_ms for s in r.sent if s.reply_ms is not None], 95) for r in (one, two)]
    print(
        f"2 pairs / 1 pair: replies/s {replies[1] / replies[0]:.2f}x, reply p95 {p95[1]:.0f} vs {p95[0]:.0f} ms "
        "(both pairs share this machine's 2 cores)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    choices = ["steady", "stock", "rasa-kill", "actions-kill", "slow", "pairs", "all"]
    parser.add_argument("--scenario", choices=choices, default="all")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--think-s", type=float, default=0.3, help="a user's pause between a reply and the next")
    args = parser.parse_args()
    load = Load(users=args.users, duration_s=args.seconds, think_s=args.think_s)
    wanted = choices[:-1] if args.scenario == "all" else [args.scenario]
    ours = None
    if set(wanted) - {"pairs"}:
        stack = start_stack()
        try:
            if {"steady", "stock"} & set(wanted):
                ours = steady(stack, load)
            if "stock" in wanted:
                stock(stack, load, ours)
            if "rasa-kill" in wanted:
                run(stack, load, f"Rasa SIGKILLed halfway, {load.users} users", restart(stack.rasa[0]))
                stack.rasa[0].wait_ready()
            if "actions-kill" in wanted:
                run(stack, load, f"action server SIGKILLed halfway, {load.users} users", restart(stack.actions[0]))
                stack.actions[0].wait_ready()
            if "slow" in wanted:
                slow(stack, load)
        finally:
            stack.close()
    if "pairs" in wanted:
        pairs(load, ours)


if __name__ == "__main__":
    main()
