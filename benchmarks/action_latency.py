"""The classify action's latency (cached Wikipedia summary) and its throughput with 20 concurrent requests.

    .venv/bin/python -m benchmarks.action_latency [--requests 40] [--concurrency 20]

Starts the real action server (models/fruits.onnx) and a fake CDN/Wikipedia on loopback; prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from benchmarks.harness import banana_host, describe
from testkit.processes import action_call, action_webhook, start_action_server


async def timed_call(client: httpx.AsyncClient, webhook: str, image_url: str) -> float:
    started = time.perf_counter()
    response = await client.post(
        webhook, json=action_call("action_classify_image", "/send_image", [image_url], uuid.uuid4().hex), timeout=120
    )
    response.raise_for_status()
    assert response.json()["responses"][0]["text"].startswith("Banana")
    return (time.perf_counter() - started) * 1000


async def run(webhook: str, image_url: str, requests: int, concurrency: int) -> None:
    async with httpx.AsyncClient() as client:
        await timed_call(client, webhook, image_url)  # warm-up; caches the summary
        sequential = [await timed_call(client, webhook, image_url) for _ in range(requests)]
        print(describe("one request at a time (cached summary)", sequential))
        started = time.perf_counter()
        concurrent: list[float] = []
        for _ in range(max(1, requests // concurrency)):
            concurrent += await asyncio.gather(*[timed_call(client, webhook, image_url) for _ in range(concurrency)])
        elapsed = time.perf_counter() - started
        print(describe(f"{concurrency} concurrent requests", concurrent))
        print(f"throughput with {concurrency} concurrent: {len(concurrent) / elapsed:.1f} photos/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    fakes = banana_host()
    server = start_action_server(Path(tempfile.mkdtemp()), {"WIKIPEDIA_URL": fakes.url})
    try:
        asyncio.run(run(action_webhook(server), f"{fakes.url}/banana.jpg", args.requests, args.concurrency))
    finally:
        server.stop()
        fakes.close()


if __name__ == "__main__":
    main()
