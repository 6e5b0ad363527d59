"""Two Rasa servers and two action servers sharing one Redis (lock store, inbox, seen ids) and one PostgreSQL
(tracker store, feedback), started with the commands `make serve` and the images run (scripts/start_server.sh):
one conversation may hop between the servers, a redelivery to the other server is dropped, and when one server
dies the other answers what it had taken."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy

from testkit.http_server import FakeHTTPServer, Reply
from testkit.messenger_payloads import event, new_psid, payload, photo_message, signature, text_message
from testkit.processes import Server, start_action_server, start_rasa
from testkit.stores import Store
from tests.conftest import FB_GRAPH_VERSION, FIXTURES, MESSENGER_ENV, bot_says
from tests.e2e.test_rest_conversation import BANANA_SUMMARY, serve_banana

SECRET = MESSENGER_ENV["FB_APP_SECRET"]


@dataclass
class Pair:
    rasa: Server
    actions: Server


@dataclass
class Cluster:
    pairs: list[Pair]
    graph: FakeHTTPServer
    postgres: Store


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory,
    redis_server: Store,
    postgres_server: Store,
    image_host: FakeHTTPServer,
    fake_wikipedia: FakeHTTPServer,
) -> Iterator[Cluster]:
    graph = FakeHTTPServer()
    graph.routes[f"/{FB_GRAPH_VERSION}/me/messages"] = Reply.json({"recipient_id": "x", "message_id": "m_out"})
    shared = {"REDIS_URL": redis_server.url, "TRACKER_DB_URL": postgres_server.url, "INBOX_LEASE_S": "4"}
    actions = [
        start_action_server(
            tmp_path_factory.mktemp(f"actions{i}"),
            {"WIKIPEDIA_URL": fake_wikipedia.url, "FEEDBACK_DB_URL": postgres_server.url},
            wait=False,
        )
        for i in range(2)
    ]
    for server in actions:
        server.wait_ready()
    env = {**MESSENGER_ENV, "FB_GRAPH_URL": graph.url, **shared}
    rasas = [start_rasa(tmp_path_factory.mktemp(f"rasa{i}"), a.url, env, wait=False) for i, a in enumerate(actions)]
    for server in rasas:
        server.wait_ready()
    yield Cluster([Pair(r, a) for r, a in zip(rasas, actions, strict=True)], graph, postgres_server)
    for server in [*rasas, *actions]:
        server.stop()
    graph.close()


def post(rasa: Server, body: dict) -> int:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(SECRET, raw)}
    url = rasa.url.replace("/webhooks/rest", "/webhooks/facebook/webhook")
    return httpx.post(url, content=raw, headers=headers, timeout=10).status_code


def texts_to(graph: FakeHTTPServer, sender: str) -> list[str]:
    bodies = [json.loads(r.body) for r in graph.requests if r.method == "POST" and r.body]
    return [b["message"]["text"] for b in bodies if b.get("recipient", {}).get("id") == sender and "message" in b]


def wait_for_texts(graph: FakeHTTPServer, sender: str, n: int, timeout_s: float = 90) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len(texts_to(graph, sender)) >= n:
            return texts_to(graph, sender)
        time.sleep(0.2)
    raise AssertionError(f"expected {n} replies to {sender}, got {texts_to(graph, sender)}")


def tracker_events(postgres: Store, sender: str) -> list[str]:
    engine = sqlalchemy.create_engine(postgres.url)
    with engine.connect() as db:
        rows = db.execute(
            sqlalchemy.text("SELECT type_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        )
        names = [row[0] for row in rows]
    engine.dispose()
    return names


def test_one_conversation_alternates_between_the_servers_in_order_with_one_tracker(
    cluster: Cluster, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    sender = new_psid()
    conversation = [
        (text_message("hi"), lambda reply: reply in bot_says("utter_greet")),
        (photo_message(serve_banana(image_host, fake_wikipedia)), lambda reply: BANANA_SUMMARY in reply),
        (text_message("thanks!"), lambda reply: reply in bot_says("utter_thanks")),
        (text_message("bye"), lambda reply: reply in bot_says("utter_goodbye")),
    ]
    for n, (message, expected) in enumerate(conversation, start=1):
        assert post(cluster.pairs[n % 2].rasa, payload(event(sender, message))) == 200
        replies = wait_for_texts(cluster.graph, sender, n)
        assert len(replies) == n and expected(replies[-1]), replies
    events = tracker_events(cluster.postgres, sender)
    assert events.count("user") == len(conversation) and events.count("bot") >= len(conversation)


def test_a_message_delivered_to_both_servers_is_answered_once(cluster: Cluster) -> None:
    sender = new_psid()
    body = payload(event(sender, text_message("hello")))
    assert [post(pair.rasa, body) for pair in cluster.pairs] == [200, 200]
    wait_for_texts(cluster.graph, sender, 1)
    time.sleep(3)
    assert len(texts_to(cluster.graph, sender)) == 1


def test_when_a_server_dies_the_other_answers_what_it_had_taken(
    cluster: Cluster, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    banana = serve_banana(image_host, fake_wikipedia)
    slow = banana.replace("/banana.jpg", "/slow-banana.jpg")  # the photos keep the victim busy past its death
    image_host.routes["/slow-banana.jpg"] = Reply(
        200, (FIXTURES / "banana.jpg").read_bytes(), {"Content-Type": "image/jpeg"}, delay_s=2.0
    )
    victim, survivor = cluster.pairs[0].rasa, cluster.pairs[1].rasa
    senders = [new_psid() for _ in range(6)]
    for sender in senders:
        for message in (photo_message(slow), text_message("thanks")):
            assert post(victim, payload(event(sender, message))) == 200
    victim.kill()  # SIGKILL right after the acks: it has taken photos and waits on them; the rest waits in the inbox
    for sender in senders:
        replies = wait_for_texts(cluster.graph, sender, 2, timeout_s=150)
        assert BANANA_SUMMARY in replies[0] and replies[1] in bot_says("utter_thanks"), replies
    assert post(survivor, payload(event(senders[0], text_message("bye")))) == 200
    assert wait_for_texts(cluster.graph, senders[0], 3)[-1] in bot_says("utter_goodbye")
    time.sleep(2)
    assert all(len(texts_to(cluster.graph, sender)) == 2 for sender in senders[1:])  # none answered twice
