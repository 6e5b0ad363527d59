"""Shared by the benchmarks: percentiles, and a fake CDN + Wikipedia serving the banana photo."""

from __future__ import annotations

import statistics

from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import ROOT

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
