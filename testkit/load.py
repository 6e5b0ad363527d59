"""A load of Messenger users against a webhook: each sends signed text and photo events, waits for the reply like a
person, and POSTs the same event again when the ack is late or fails, as Meta does. Bounded in time and requests;
it stops by itself. Used by benchmarks/load.py (the figures) and tests/e2e/test_load.py (short, with assertions).
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

import httpx

from testkit.http_server import FakeHTTPServer, Recorded, Reply
from testkit.messenger_payloads import (
    event,
    new_psid,
    payload,
    photo_message,
    sha1_signature,
    signature,
    text_message,
)

TEXTS = ["hi", "thanks!", "what fruits do you know?", "hello there", "bye"]


class GraphInbox:
    """A fake Graph API's Send API that files every text message it is asked to send under its recipient."""

    def __init__(self, graph: FakeHTTPServer, version: str) -> None:
        self.texts: dict[str, list[float]] = defaultdict(list)  # recipient -> when each text arrived
        self._lock = threading.Lock()
        graph.routes[f"/{version}/me/messages"] = self._receive

    def _receive(self, request: Recorded) -> Reply:
        body = json.loads(request.body or b"{}")
        text = (body.get("message") or {}).get("text")
        if text is not None:
            with self._lock:
                self.texts[str((body.get("recipient") or {}).get("id"))].append(time.monotonic())
        return Reply.json({"recipient_id": "x", "message_id": f"m_out_{uuid.uuid4().hex[:6]}"})

    def count(self, user: str) -> int:
        with self._lock:
            return len(self.texts[user])

    def arrival(self, user: str, index: int) -> float:
        with self._lock:
            return self.texts[user][index]


@dataclass
class Load:
    users: int = 20
    duration_s: float = 120.0
    photo_share: float = 0.4
    ack_late_s: float = 2.0  # Meta POSTs the same event again when the ack takes longer than this
    reply_timeout_s: float = 90.0  # a message unanswered this long after its ack is lost
    think_s: float = 0.3  # between a reply and the user's next message
    max_messages: int = 100_000


@dataclass
class Sent:
    user: str
    photo: bool
    acks_ms: list[float] = field(default_factory=list)  # every POST of it that was acknowledged
    reply_ms: float | None = None  # from the first POST to the first reply
    reposted: int = 0


@dataclass
class LoadResult:
    name: str
    sent: list[Sent]
    seconds: float
    replies: int
    duplicates: int  # replies beyond one per message

    @property
    def lost(self) -> int:
        return sum(1 for s in self.sent if s.acks_ms and s.reply_ms is None)

    def row(self) -> str:
        acks = [a for s in self.sent for a in s.acks_ms]
        text = [s.reply_ms for s in self.sent if not s.photo and s.reply_ms is not None]
        photo = [s.reply_ms for s in self.sent if s.photo and s.reply_ms is not None]
        reposts = sum(s.reposted for s in self.sent)
        return (
            f"{self.name:<34} msgs {len(self.sent):4d}  ack p50 {pct(acks, 50):7.1f} p95 {pct(acks, 95):7.1f} "
            f"max {max(acks, default=0):7.1f} ms  reply text p50 {pct(text, 50):7.0f} p95 {pct(text, 95):7.0f}  "
            f"photo p50 {pct(photo, 50):7.0f} p95 {pct(photo, 95):7.0f} ms  {self.replies / self.seconds:5.1f} "
            f"replies/s  lost {self.lost}  duplicated {self.duplicates}  re-POSTs {reposts}"
        )


def record_ack(sent: Sent, task: asyncio.Task[float | None]) -> None:
    ms = task.result()
    if ms is not None:
        sent.acks_ms.append(ms)


def pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class LoadRun:
    """One run: the webhooks to spread users over (a load balancer), the fake Graph API's inbox, photo URLs."""

    webhooks: list[str]
    inbox: GraphInbox
    photo_urls: list[str]
    secret: str
    load: Load
    started: float = field(default_factory=time.monotonic)
    results: list[Sent] = field(default_factory=list)

    async def run(self, name: str) -> LoadResult:
        async with httpx.AsyncClient(timeout=30) as client:
            users = [new_psid() for _ in range(self.load.users)]
            await asyncio.gather(*(self._user(client, user, n) for n, user in enumerate(users)))
        seconds = time.monotonic() - self.started
        replies = sum(self.inbox.count(user) for user in users)
        answered = sum(1 for s in self.results if s.reply_ms is not None)
        return LoadResult(name, self.results, seconds, replies, replies - answered)

    async def _user(self, client: httpx.AsyncClient, user: str, n: int) -> None:
        rng = random.Random(n)
        webhook = self.webhooks[n % len(self.webhooks)]
        while time.monotonic() - self.started < self.load.duration_s and len(self.results) < self.load.max_messages:
            photo = rng.random() < self.load.photo_share
            message = photo_message(rng.choice(self.photo_urls)) if photo else text_message(rng.choice(TEXTS))
            sent = Sent(user, photo)
            self.results.append(sent)
            replies_before = self.inbox.count(user)
            first_post = time.monotonic()
            await self._deliver(client, webhook, payload(event(user, message)), sent)
            sent.reply_ms = await self._reply(user, replies_before, first_post)
            await asyncio.sleep(self.load.think_s)

    async def _deliver(self, client: httpx.AsyncClient, webhook: str, body: dict, sent: Sent) -> None:
        """POST until acknowledged, like Meta: again when the ack is late, again after a failure (with backoff)."""
        raw = json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature(self.secret, raw),
            "X-Hub-Signature": sha1_signature(self.secret, raw),
        }
        deadline, backoff = time.monotonic() + self.load.reply_timeout_s, 0.5
        pending: set[asyncio.Task[float | None]] = set()
        while time.monotonic() < deadline:
            pending.add(asyncio.create_task(self._post(client, webhook, raw, headers)))
            done, pending = await asyncio.wait(pending, timeout=self.load.ack_late_s)
            acked = [ms for ms in (t.result() for t in done) if ms is not None]
            if acked:
                sent.acks_ms.extend(acked)
                for task in pending:  # a POST still on its way counts too when it is acknowledged
                    task.add_done_callback(partial(record_ack, sent))
                return
            sent.reposted += 1
            if done:  # refused or failed: the server is down, Meta waits before trying again
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 8.0)

    async def _post(self, client: httpx.AsyncClient, webhook: str, raw: bytes, headers: dict) -> float | None:
        started = time.monotonic()
        try:
            response = await client.post(webhook, content=raw, headers=headers)
        except httpx.HTTPError:
            return None
        return 1000 * (time.monotonic() - started) if response.status_code == 200 else None

    async def _reply(self, user: str, before: int, since: float) -> float | None:
        deadline = time.monotonic() + self.load.reply_timeout_s
        while time.monotonic() < deadline:
            if self.inbox.count(user) > before:
                return 1000 * (self.inbox.arrival(user, before) - since)
            await asyncio.sleep(0.05)
        return None
