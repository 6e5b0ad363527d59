"""Shared by the benchmarks: the real servers and the fake outside services of the test suite, and percentiles."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.http_server import FakeHTTPServer, Reply  # noqa: E402
from tests.processes import Server, action_call, start_action_server, start_rasa  # noqa: E402

__all__ = [
    "FakeHTTPServer",
    "Reply",
    "Server",
    "action_call",
    "banana_host",
    "describe",
    "start_action_server",
    "start_rasa",
]
BANANA = (ROOT / "tests" / "fixtures" / "banana.jpg").read_bytes()


def describe(name: str, values_ms: list[float]) -> str:
    ordered = sorted(values_ms)
    p95 = ordered[round(0.95 * (len(ordered) - 1))]
    return f"{name:<48} n={len(ordered):<4} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms"


def banana_host() -> FakeHTTPServer:
    """A fake CDN serving /banana.jpg and a fake Wikipedia with the Banana page, on one loopback server."""
    server = FakeHTTPServer()
    server.routes["/banana.jpg"] = Reply(200, BANANA, {"Content-Type": "image/jpeg"})
    page = {"type": "standard", "title": "Banana", "extract": "The banana is an elongated, edible fruit."}
    server.routes["/page/summary/Banana"] = Reply.json(page)
    return server
