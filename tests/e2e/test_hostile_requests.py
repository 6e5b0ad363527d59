"""Hostile requests against the real Rasa server's three webhooks (valid signatures and tokens where the channel
checks them): never a 5xx, the server stays up, and ordinary messages sent between them are all answered."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from testkit.hostile import hostile_bodies
from testkit.http_server import FakeHTTPServer, Reply
from testkit.messenger_payloads import event, new_psid, payload, photo_message, signature, text_message
from testkit.processes import REST_HEADERS, Server
from tests.conftest import MESSENGER_ENV, TELEGRAM_ENV
from tests.e2e.test_messenger import sent_to, wait_for
from tests.e2e.test_rest_conversation import say
from tests.e2e.test_telegram import calls, new_chat, update, wait_for_messages

ALLOWED = {200, 400, 401, 403, 413}  # anything else (a 5xx, a hang) is a failure
CANARY_EVERY = 40


def messenger_url(rasa: Server) -> str:
    return rasa.url.replace("/webhooks/rest", "/webhooks/facebook/webhook")


def telegram_url(rasa: Server) -> str:
    return rasa.url.replace("/webhooks/rest", "/webhooks/telegram/webhook")


def signed(raw: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Hub-Signature-256": signature(MESSENGER_ENV["FB_APP_SECRET"], raw)}


TELEGRAM_HEADERS = {
    "Content-Type": "application/json",
    "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_ENV["TELEGRAM_SECRET_TOKEN"],
}


def post_raw(url: str, raw: bytes, headers: dict) -> int:
    return httpx.post(url, content=raw, headers=headers, timeout=15).status_code


@pytest.fixture(scope="module")
def photo_url(image_host: FakeHTTPServer) -> str:
    image_host.routes["/hostile.jpg"] = Reply(200, b"%PDF-1.7 not an image", {"Content-Type": "image/jpeg"})
    return f"{image_host.url}/hostile.jpg"


def test_a_rest_sender_with_a_lone_surrogate_is_refused_and_the_next_message_answered(rasa_server: Server) -> None:
    raw = b'{"sender":"\\ud800","message":"hi"}'
    assert post_raw(f"{rasa_server.url}/webhook", raw, {**REST_HEADERS, "Content-Type": "application/json"}) == 400
    assert say(rasa_server, "hi")
    assert rasa_server.process.poll() is None


def test_a_telegram_chat_id_with_a_lone_surrogate_is_ignored(rasa_server: Server, fake_bot_api: FakeHTTPServer) -> None:
    body = update(0, text="hi")
    body["message"]["chat"]["id"] = "\ud800"
    assert post_raw(telegram_url(rasa_server), json.dumps(body).encode(), TELEGRAM_HEADERS) == 200
    chat = new_chat()
    post_raw(telegram_url(rasa_server), json.dumps(update(chat, text="hi")).encode(), TELEGRAM_HEADERS)
    assert wait_for_messages(fake_bot_api, chat, 1)
    assert rasa_server.process.poll() is None


def test_a_messenger_sender_with_a_lone_surrogate_is_ignored(rasa_server: Server, fake_graph_api) -> None:
    raw = json.dumps(payload(event("\ud800", text_message("hi")))).encode()
    assert post_raw(messenger_url(rasa_server), raw, signed(raw)) == 200
    sender = new_psid()
    raw = json.dumps(payload(event(sender, text_message("hi")))).encode()
    post_raw(messenger_url(rasa_server), raw, signed(raw))
    assert wait_for(fake_graph_api, sender, 1)


@pytest.mark.parametrize("body", [b'"a string"', b"[1, 2]", b"null", b"{", b'{"sender": ["x"], "message": "hi"}'])
def test_rest_bodies_it_cannot_use_get_400_with_the_reason(rasa_server: Server, body: bytes) -> None:
    response = httpx.post(f"{rasa_server.url}/webhook", content=body, headers=REST_HEADERS, timeout=10)
    assert response.status_code == 400 and response.json()["error"]


def test_rest_never_streams_so_junk_with_stream_true_is_answered_at_once(rasa_server: Server) -> None:
    started = time.monotonic()
    junk = {"sender": "ada", "message": {"a": 1}, "stream": True}
    response = httpx.post(f"{rasa_server.url}/webhook?stream=true", json=junk, headers=REST_HEADERS, timeout=10)
    assert response.status_code == 400 and time.monotonic() - started < 5


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic cmVzdA==", "Bearer ünïcode"])
def test_rest_without_the_right_bearer_token_gets_401(rasa_server: Server, authorization: str | None) -> None:
    headers = {"Authorization": authorization.encode()} if authorization else {}
    response = httpx.post(f"{rasa_server.url}/webhook", json={"sender": "a", "message": "hi"}, headers=headers)
    assert response.status_code == 401


def test_a_non_ascii_signature_is_403(rasa_server: Server) -> None:
    raw = json.dumps(payload(event(new_psid(), text_message("hi")))).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=ünïcødé".encode()}
    assert post_raw(messenger_url(rasa_server), raw, headers) == 403


def test_a_repeated_verify_token_is_answered(rasa_server: Server) -> None:
    query = "hub.mode=subscribe&hub.verify_token=nope&hub.verify_token=verify-me&hub.challenge=123&hub.challenge=4"
    assert httpx.get(f"{messenger_url(rasa_server)}?{query}", timeout=10).status_code == 403
    query = "hub.mode=subscribe&hub.verify_token=verify-me&hub.verify_token=nope&hub.challenge=123"
    response = httpx.get(f"{messenger_url(rasa_server)}?{query}", timeout=10)
    assert (response.status_code, response.text) == (200, "123")


def test_a_body_over_1_mb_is_413_on_every_webhook(rasa_server: Server) -> None:
    raw = json.dumps({"sender": "a", "message": "x" * 1_100_000}).encode()
    assert post_raw(f"{rasa_server.url}/webhook", raw, REST_HEADERS) == 413
    assert post_raw(messenger_url(rasa_server), raw, signed(raw)) == 413
    assert post_raw(telegram_url(rasa_server), raw, TELEGRAM_HEADERS) == 413


def test_a_long_random_text_with_a_url_gets_a_polite_reply(rasa_server: Server) -> None:
    replies = say(rasa_server, "look " + "https://cdn.example/" + "ab/" * 3000)
    assert replies and "picture" in replies[0].lower()


def hostile_requests(rasa: Server, photo: str) -> Iterator[tuple[str, str, str, bytes, dict[str, str]]]:
    """(channel, what, url, body, headers) for each hostile request of the three webhooks."""
    messenger = payload(event("1234567890", photo_message(photo, "what is it?")))
    for what, raw in hostile_bodies(messenger, seed=1):
        yield "messenger", what, messenger_url(rasa), raw, signed(raw)
    telegram = update(42, caption="hi", photo=[{"file_id": "big", "file_unique_id": "b", "width": 9, "height": 9}])
    telegram["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": 2}]
    for what, raw in hostile_bodies(telegram, seed=2):
        yield "telegram", what, telegram_url(rasa), raw, TELEGRAM_HEADERS
    rest = {"sender": "ada", "message": "hi", "metadata": {"images": [{"url": photo}]}}
    for what, raw in hostile_bodies(rest, seed=3):
        yield "rest", what, f"{rasa.url}/webhook", raw, {**REST_HEADERS, "Content-Type": "application/json"}


def send_canaries(rasa: Server) -> tuple[str, int, bool]:
    """One ordinary message per channel: the Messenger sender and Telegram chat to wait for, and REST's answer."""
    sender, chat = new_psid(), new_chat()
    raw = json.dumps(payload(event(sender, text_message("hello")))).encode()
    post_raw(messenger_url(rasa), raw, signed(raw))
    post_raw(telegram_url(rasa), json.dumps(update(chat, text="hello")).encode(), TELEGRAM_HEADERS)
    return sender, chat, bool(say(rasa, "hello"))


def test_fuzz_of_the_three_webhooks(
    rasa_server: Server, fake_graph_api: FakeHTTPServer, fake_bot_api: FakeHTTPServer, photo_url: str
) -> None:
    statuses: Counter[tuple[str, int]] = Counter()
    unexpected, canaries = [], []
    for n, (channel, what, url, raw, headers) in enumerate(hostile_requests(rasa_server, photo_url), start=1):
        try:
            status = post_raw(url, raw, headers)
        except httpx.HTTPError as error:
            status = 599
            what += f" ({type(error).__name__})"
        statuses[(channel, status)] += 1
        if status not in ALLOWED:
            unexpected.append((channel, what, status))
        if n % CANARY_EVERY == 0:
            canaries.append(send_canaries(rasa_server))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(replied(fake_graph_api, fake_bot_api, c) for c in canaries):
        time.sleep(0.5)
    answered = sum(replied(fake_graph_api, fake_bot_api, c) for c in canaries)
    print(f"\nfuzz: {sum(statuses.values())} hostile requests; status codes {dict(sorted(statuses.items()))}")
    print(f"fuzz: canary messages answered {answered} of {3 * len(canaries)}")
    assert unexpected == []
    assert rasa_server.process.poll() is None
    assert answered == 3 * len(canaries) and len(canaries) >= 10


def replied(graph: FakeHTTPServer, bot: FakeHTTPServer, canary: tuple[str, int, bool]) -> int:
    """How many of one round's three canaries got their answer."""
    sender, chat, rest_answered = canary
    messenger = any("message" in body for body in sent_to(graph, sender))
    return rest_answered + messenger + bool(calls(bot, chat, "sendMessage"))
