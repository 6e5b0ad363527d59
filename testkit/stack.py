"""The whole bot on loopback for load runs: fake Graph API, fake CDN and Wikipedia, N pairs of an action server
and a Rasa server with the Messenger channel (N > 1: sharing a Redis and a PostgreSQL, as in production)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from testkit.http_server import FakeHTTPServer, Reply
from testkit.load import GraphInbox
from testkit.processes import ROOT, Server, start_action_server, start_rasa
from testkit.stores import Store

GRAPH_VERSION = "v99.0"
SECRET = "load-secret"
PHOTOS = ["banana", "lemon", "strawberry"]
SUMMARIES = {"Banana": "The banana is an elongated, edible fruit.", "Lemon": "The lemon is a citrus fruit."}


@dataclass
class Stack:
    graph: FakeHTTPServer
    inbox: GraphInbox
    cdn: FakeHTTPServer  # the photos, and Wikipedia's summaries
    actions: list[Server] = field(default_factory=list)
    rasa: list[Server] = field(default_factory=list)

    @property
    def webhooks(self) -> list[str]:
        return [server.url.replace("/webhooks/rest", "/webhooks/facebook/webhook") for server in self.rasa]

    @property
    def photo_urls(self) -> list[str]:
        return [f"{self.cdn.url}/{name}.jpg" for name in PHOTOS]

    def close(self) -> None:
        for server in [*self.rasa, *self.actions]:
            if server.process.poll() is None:
                server.stop()
        self.graph.close()
        self.cdn.close()


def fakes() -> tuple[FakeHTTPServer, GraphInbox, FakeHTTPServer]:
    graph, cdn = FakeHTTPServer(), FakeHTTPServer()
    inbox = GraphInbox(graph, GRAPH_VERSION)
    for name in PHOTOS:
        cdn.routes[f"/{name}.jpg"] = Reply(200, (ROOT / "tests" / "fixtures" / f"{name}.jpg").read_bytes())
    for title, extract in SUMMARIES.items():
        cdn.routes[f"/page/summary/{title}"] = Reply.json({"type": "standard", "title": title, "extract": extract})
    return graph, inbox, cdn


def start_stack(pairs: int = 1, stores: tuple[Store, Store] | None = None, tmp: Path | None = None) -> Stack:
    """`pairs` action servers and Rasa servers (started side by side); with `stores` (Redis, PostgreSQL) they share
    the inbox, lock store and tracker store."""
    tmp = tmp or Path(tempfile.mkdtemp(prefix="fruitbot-load-"))
    graph, inbox, cdn = fakes()
    stack = Stack(graph, inbox, cdn)
    shared = {"REDIS_URL": stores[0].url, "TRACKER_DB_URL": stores[1].url, "INBOX_LEASE_S": "5"} if stores else {}
    for n in range(pairs):
        env = {"WIKIPEDIA_URL": cdn.url, **({"FEEDBACK_DB_URL": stores[1].url} if stores else {})}
        stack.actions.append(start_action_server(tmp / f"actions{n}", env, wait=False))
    for n, actions in enumerate(stack.actions):
        actions.wait_ready()
        messenger = {"FB_VERIFY_TOKEN": "v", "FB_APP_SECRET": SECRET, "FB_PAGE_ACCESS_TOKEN": "t"}
        env = {**messenger, "FB_GRAPH_URL": graph.url, "FB_GRAPH_VERSION": GRAPH_VERSION, **shared}
        stack.rasa.append(start_rasa(tmp / f"rasa{n}", actions.url, env, wait=False))
    for server in stack.rasa:
        server.wait_ready()
    return stack
