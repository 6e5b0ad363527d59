"""Messenger end to end: payloads shaped like Meta's webhook events, a fake Graph API and a fake image CDN."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from testkit.http_server import FakeHTTPServer, Recorded, Reply
from testkit.messenger_payloads import event, new_psid, payload, photo_message, signature, text_message
from testkit.processes import Server
from tests.conftest import FB_GRAPH_VERSION, MESSENGER_ENV
from tests.e2e.test_rest_conversation import serve_banana

SECRET = MESSENGER_ENV["FB_APP_SECRET"]


def webhook_url(rasa: Server) -> str:
    return rasa.url.replace("/webhooks/rest", "/webhooks/facebook/webhook")


def post(rasa: Server, body: dict, signed: str | None = "valid") -> httpx.Response:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signed == "valid":
        headers["X-Hub-Signature-256"] = signature(SECRET, raw)
    elif signed is not None:
        headers["X-Hub-Signature-256"] = signed
    return httpx.post(webhook_url(rasa), content=raw, headers=headers, timeout=10)


def sent_to(graph: FakeHTTPServer, sender: str) -> list[dict]:
    bodies = [json.loads(r.body) for r in graph.requests if r.method == "POST"]
    return [b for b in bodies if b.get("recipient", {}).get("id") == sender]


def wait_for(graph: FakeHTTPServer, sender: str, n_texts: int, timeout_s: float = 60) -> list[dict]:
    """The requests sent to `sender` once `n_texts` text messages have arrived (and a moment for extras)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len(texts(sent_to(graph, sender))) >= n_texts:
            time.sleep(1.0)  # anything sent after the expected replies would show up here
            return sent_to(graph, sender)
        time.sleep(0.2)
    raise AssertionError(f"expected {n_texts} texts to {sender}, got {sent_to(graph, sender)}")


def texts(requests: list[dict]) -> list[str]:
    return [r["message"]["text"] for r in requests if "text" in r.get("message", {})]


@pytest.mark.parametrize(
    ("mode", "token", "status"),
    [("subscribe", MESSENGER_ENV["FB_VERIFY_TOKEN"], 200), ("subscribe", "wrong", 403), ("unsubscribe", None, 403)],
)
def test_webhook_verification(rasa_server: Server, mode: str, token: str | None, status: int) -> None:
    params = {"hub.mode": mode, "hub.verify_token": token or MESSENGER_ENV["FB_VERIFY_TOKEN"], "hub.challenge": "42"}
    response = httpx.get(webhook_url(rasa_server), params=params)
    assert response.status_code == status
    assert (response.text == "42") is (status == 200)


def test_a_signed_text_is_answered_through_the_graph_api(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    sender = new_psid()
    started = time.monotonic()
    assert post(rasa_server, payload(event(sender, text_message("hello")))).status_code == 200
    assert time.monotonic() - started < 2  # acknowledged before the conversation is processed
    sent = wait_for(fake_graph_api, sender, 1)
    assert len(sent) == 1 and sent[0]["messaging_type"] == "RESPONSE"
    assert "photo" in sent[0]["message"]["text"].lower() or "fruit" in sent[0]["message"]["text"].lower()
    request: Recorded = next(r for r in fake_graph_api.requests if json.loads(r.body) == sent[0])
    assert request.path.startswith(f"/{FB_GRAPH_VERSION}/me/messages?")
    assert "access_token=page-token-for-tests" in request.path


def test_a_signed_photo_is_classified_with_typing_and_quick_replies(
    rasa_server: Server, fake_graph_api: FakeHTTPServer, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    sender = new_psid()
    post(rasa_server, payload(event(sender, photo_message(serve_banana(image_host, fake_wikipedia)))))
    sent = wait_for(fake_graph_api, sender, 1)
    assert [r.get("sender_action") for r in sent[:2]] == ["mark_seen", "typing_on"]
    assert len(sent) == 3
    reply = sent[2]["message"]
    assert reply["text"].startswith("Banana (")
    assert [q["payload"] for q in reply["quick_replies"]] == ["/affirm", "/deny"]


def test_a_photo_with_text_is_a_photo(
    rasa_server: Server, fake_graph_api: FakeHTTPServer, image_host: FakeHTTPServer, fake_wikipedia: FakeHTTPServer
) -> None:
    sender = new_psid()
    post(rasa_server, payload(event(sender, photo_message(serve_banana(image_host, fake_wikipedia), "what is this?"))))
    assert texts(wait_for(fake_graph_api, sender, 1))[0].startswith("Banana (")


@pytest.mark.parametrize("forged", ["sha256=" + "0" * 64, "sha1=abc", "md5=abc", "garbage", None])
def test_forged_or_missing_signatures_are_refused_and_nothing_is_sent(
    rasa_server: Server, fake_graph_api: FakeHTTPServer, forged: str | None
) -> None:
    sender = new_psid()
    assert post(rasa_server, payload(event(sender, text_message("hi"))), forged).status_code == 403
    time.sleep(1.5)
    assert sent_to(fake_graph_api, sender) == []


def test_broken_json_with_a_valid_signature_is_a_400(rasa_server: Server) -> None:
    raw = b"{not json"
    headers = {"X-Hub-Signature-256": signature(SECRET, raw)}
    response = httpx.post(webhook_url(rasa_server), content=raw, headers=headers)
    assert response.status_code == 400


def test_a_batch_with_two_senders_answers_both(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    alice, bob = new_psid(), new_psid()
    body = payload(event(alice, text_message("hi")), event(bob, text_message("thanks")))
    body["entry"].append({"id": "PAGE", "time": 1, "messaging": [event(bob, text_message("bye"))]})
    post(rasa_server, body)
    assert len(texts(wait_for(fake_graph_api, alice, 1))) == 1
    assert len(texts(wait_for(fake_graph_api, bob, 2))) == 2


def test_a_redelivered_mid_is_answered_once(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    sender = new_psid()
    body = payload(event(sender, text_message("hello")))
    post(rasa_server, body)
    post(rasa_server, body)
    time.sleep(2)
    assert len(texts(wait_for(fake_graph_api, sender, 1))) == 1


def test_a_sticker_gets_photos_only(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    sender = new_psid()
    sticker = {"type": "image", "payload": {"url": "https://cdn.example/sticker.png", "sticker_id": 369239263222822}}
    post(rasa_server, payload(event(sender, {"mid": f"m_{uuid.uuid4().hex}", "attachments": [sticker]})))
    sent = wait_for(fake_graph_api, sender, 1)
    assert len(sent) == 1 and "photo" in sent[0]["message"]["text"].lower()


def test_echoes_deliveries_and_reads_are_ignored(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    sender = new_psid()
    echo = event(sender, {"mid": f"m_{uuid.uuid4().hex}", "text": "a reply of ours", "is_echo": True})
    delivery = {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "delivery": {"mids": ["m_1"], "watermark": 1}}
    read = {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "read": {"watermark": 1}}
    assert post(rasa_server, payload(echo, delivery, read)).status_code == 200
    time.sleep(2)
    assert sent_to(fake_graph_api, sender) == []


def test_graph_api_errors_are_retried(rasa_server: Server, fake_graph_api: FakeHTTPServer) -> None:
    sender = new_psid()
    route = f"/{FB_GRAPH_VERSION}/me/messages"
    normal = fake_graph_api.routes[route]
    failures = iter(
        [Reply(500, b'{"error": {"code": 2}}'), Reply(429, b'{"error": {"code": 613}}', {"Retry-After": "1"})]
    )

    def flaky(request: Recorded) -> Reply:
        if json.loads(request.body).get("recipient", {}).get("id") == sender:
            return next(failures, normal)
        return normal

    fake_graph_api.routes[route] = flaky
    try:
        post(rasa_server, payload(event(sender, text_message("hello"))))
        assert len(texts(wait_for(fake_graph_api, sender, 3))) == 3  # two failed tries, then the one that worked
    finally:
        fake_graph_api.routes[route] = normal
