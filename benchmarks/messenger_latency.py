"""Messenger under load: webhook ack latency and photo -> reply latency with 20 concurrent senders.

    .venv/bin/python -m benchmarks.messenger_latency [--senders 20] [--rounds 2]

Starts the real Rasa server (Messenger channel) and action server, a fake Graph API and a fake CDN/Wikipedia,
all on loopback; each sender POSTs a signed photo message; prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.harness import banana_host, describe
from testkit.http_server import FakeHTTPServer, Reply
from testkit.messenger_payloads import event, new_psid, payload, photo_message, signature, text_message
from testkit.processes import start_action_server, start_rasa

SECRET = "bench-secret"


async def send(client: httpx.AsyncClient, webhook: str, body: dict) -> tuple[float, float]:
    """POST a signed webhook; (when it was sent, ack latency in ms)."""
    raw = json.dumps(body).encode()
    started = time.monotonic()
    response = await client.post(webhook, content=raw, headers={"X-Hub-Signature-256": signature(SECRET, raw)})
    response.raise_for_status()
    return started, (time.monotonic() - started) * 1000


def reply_times(graph: FakeHTTPServer) -> dict[str, float]:
    """When each recipient first got a text message."""
    first: dict[str, float] = {}
    for request in graph.requests:
        body = json.loads(request.body)
        if "text" in body.get("message", {}):
            first.setdefault(body["recipient"]["id"], request.at)
    return first


async def round_of(client: httpx.AsyncClient, webhook: str, graph: FakeHTTPServer, image: str, senders: int):
    ids = [new_psid() for _ in range(senders)]
    sent = await asyncio.gather(*[send(client, webhook, payload(event(s, photo_message(image)))) for s in ids])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(set(ids) & set(reply_times(graph))) < senders:
        await asyncio.sleep(0.05)
    replies = reply_times(graph)
    return [ack for _, ack in sent], [
        (replies[s] - start) * 1000 for s, (start, _) in zip(ids, sent, strict=True) if s in replies
    ]


async def run(webhook: str, graph: FakeHTTPServer, image: str, senders: int, rounds: int) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        await send(client, webhook, payload(event(new_psid(), photo_message(image))))
        text_acks = [(await send(client, webhook, payload(event(new_psid(), text_message("hi")))))[1]]
        acks, latencies = [], []
        for _ in range(rounds):
            round_acks, round_latencies = await round_of(client, webhook, graph, image, senders)
            acks += round_acks
            latencies += round_latencies
        print(describe("ack, one text message", text_acks))
        print(describe(f"ack, {senders} concurrent photo messages", acks))
        print(describe(f"photo -> reply, {senders} concurrent senders", latencies))
        print(f"replies received: {len(latencies)} of {senders * rounds}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    fakes, graph = banana_host(), FakeHTTPServer()
    graph.routes["/v99.0/me/messages"] = Reply.json({"recipient_id": "x", "message_id": "m"})
    tmp = Path(tempfile.mkdtemp())
    actions = start_action_server(tmp, {"WIKIPEDIA_URL": fakes.url})
    env = {"FB_VERIFY_TOKEN": "v", "FB_APP_SECRET": SECRET, "FB_PAGE_ACCESS_TOKEN": "t", "FB_GRAPH_URL": graph.url}
    rasa = start_rasa(tmp, actions.url, {**env, "FB_GRAPH_VERSION": "v99.0"})
    try:
        webhook = rasa.url.replace("/webhooks/rest", "/webhooks/facebook/webhook")
        asyncio.run(run(webhook, graph, f"{fakes.url}/banana.jpg", args.senders, args.rounds))
    finally:
        rasa.stop()
        actions.stop()
        fakes.close()
        graph.close()


if __name__ == "__main__":
    main()
