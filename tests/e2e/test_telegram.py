"""Telegram end to end: updates shaped like the Bot API's, a fake Bot API that serves getFile and the file."""

from __future__ import annotations

import json
import random
import time
import uuid

import httpx
import pytest

from testkit.http_server import FakeHTTPServer, Reply
from testkit.processes import Server
from tests.conftest import FIXTURES, TELEGRAM_ENV, TELEGRAM_TOKEN, bot_says
from tests.e2e.test_rest_conversation import BANANA_SUMMARY, serve_banana

SECRET = TELEGRAM_ENV["TELEGRAM_SECRET_TOKEN"]


def webhook_url(rasa: Server) -> str:
    return rasa.url.replace("/webhooks/rest", "/webhooks/telegram/webhook")


def new_chat() -> int:
    return random.randint(10**9, 10**10)


def update(chat: int, **message: object) -> dict:
    body = {"message_id": random.randint(1, 10**6), "date": 1700000000, "chat": {"id": chat, "type": "private"}}
    body["from"] = {"id": chat, "is_bot": False, "first_name": "Ada"}
    return {"update_id": random.randint(1, 2**31), "message": {**body, **message}}


def post(rasa: Server, body: dict, secret: str | None = SECRET) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return httpx.post(webhook_url(rasa), json=body, headers=headers, timeout=10)


def calls(bot: FakeHTTPServer, chat: int, method: str) -> list[dict]:
    bodies = [json.loads(r.body) for r in bot.requests if r.path.endswith(f"/{method}") and r.body]
    return [b for b in bodies if str(b.get("chat_id")) == str(chat)]


def wait_for_messages(bot: FakeHTTPServer, chat: int, n: int, timeout_s: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len(calls(bot, chat, "sendMessage")) >= n:
            time.sleep(1.0)  # anything extra would arrive now
            return calls(bot, chat, "sendMessage")
        time.sleep(0.2)
    raise AssertionError(f"expected {n} messages to chat {chat}, got {calls(bot, chat, 'sendMessage')}")


@pytest.fixture(scope="module")
def telegram_photo(fake_bot_api: FakeHTTPServer) -> str:
    """A photo the fake Bot API knows: its file_id."""
    file_id = f"AgACAgQAAxkBAAI{uuid.uuid4().hex[:8]}"
    fake_bot_api.routes[f"/bot{TELEGRAM_TOKEN}/getFile"] = lambda request: Reply.json(
        {"ok": True, "result": {"file_id": file_id, "file_path": "photos/file_7.jpg", "file_size": 3135}}
    )
    fake_bot_api.routes[f"/file/bot{TELEGRAM_TOKEN}/photos/file_7.jpg"] = Reply(
        200, (FIXTURES / "banana.jpg").read_bytes()
    )
    return file_id


def photo_sizes(file_id: str) -> list[dict]:
    small = {"file_id": "small-thumbnail-id", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 900}
    return [small, {"file_id": file_id, "file_unique_id": "b", "width": 100, "height": 100, "file_size": 3135}]


def test_a_text_is_answered(rasa_server: Server, fake_bot_api: FakeHTTPServer) -> None:
    chat = new_chat()
    assert post(rasa_server, update(chat, text="hello")).status_code == 200
    sent = wait_for_messages(fake_bot_api, chat, 1)
    assert len(sent) == 1 and ("photo" in sent[0]["text"].lower() or "fruit" in sent[0]["text"].lower())


@pytest.mark.parametrize(("command", "response"), [("/start", "utter_greet"), ("/help", "utter_help")])
def test_start_and_help_commands(rasa_server: Server, fake_bot_api: FakeHTTPServer, command: str, response) -> None:
    chat = new_chat()
    post(
        rasa_server, update(chat, text=command, entities=[{"type": "bot_command", "offset": 0, "length": len(command)}])
    )
    sent = wait_for_messages(fake_bot_api, chat, 1)
    assert len(sent) == 1 and sent[0]["text"] in bot_says(response)


def test_a_photo_with_caption_is_classified_with_typing_and_buttons(
    rasa_server: Server, fake_bot_api: FakeHTTPServer, fake_wikipedia: FakeHTTPServer, image_host, telegram_photo: str
) -> None:
    serve_banana(image_host, fake_wikipedia)
    chat = new_chat()
    post(rasa_server, update(chat, photo=photo_sizes(telegram_photo), caption="what is this?"))
    sent = wait_for_messages(fake_bot_api, chat, 1)
    assert calls(fake_bot_api, chat, "sendChatAction") == [{"chat_id": str(chat), "action": "typing"}]
    assert sent[0]["text"].startswith("Banana (") and BANANA_SUMMARY in sent[0]["text"]
    keyboard = sent[0]["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in keyboard] == ["/affirm", "/deny"]


def test_a_photo_sent_as_a_file_is_a_photo(
    rasa_server: Server, fake_bot_api: FakeHTTPServer, fake_wikipedia, image_host, telegram_photo: str
) -> None:
    serve_banana(image_host, fake_wikipedia)
    chat = new_chat()
    document = {"file_id": telegram_photo, "file_name": "IMG_0042.jpg", "mime_type": "image/jpeg", "file_size": 3135}
    post(rasa_server, update(chat, document=document))
    assert wait_for_messages(fake_bot_api, chat, 1)[0]["text"].startswith("Banana (")


def test_a_button_tap_is_answered_and_stored(
    rasa_server: Server, fake_bot_api: FakeHTTPServer, fake_wikipedia, image_host, telegram_photo: str
) -> None:
    serve_banana(image_host, fake_wikipedia)
    chat = new_chat()
    post(rasa_server, update(chat, photo=photo_sizes(telegram_photo)))
    wait_for_messages(fake_bot_api, chat, 1)
    tap = {
        "update_id": random.randint(1, 2**31),
        "callback_query": {
            "id": f"cb{chat}",
            "from": {"id": chat, "is_bot": False, "first_name": "Ada"},
            "message": {"message_id": 5, "chat": {"id": chat, "type": "private"}, "date": 1700000000},
            "data": "/affirm",
        },
    }
    post(rasa_server, tap)
    sent = wait_for_messages(fake_bot_api, chat, 2)
    assert "thank" in sent[1]["text"].lower()
    answered = [json.loads(r.body) for r in fake_bot_api.requests if r.path.endswith("/answerCallbackQuery")]
    assert {"callback_query_id": f"cb{chat}"} in answered


@pytest.mark.parametrize("media", [{"sticker": {"file_id": "s", "emoji": "🍌"}}, {"voice": {"file_id": "v"}}])
def test_stickers_and_voice_get_photos_only(rasa_server: Server, fake_bot_api: FakeHTTPServer, media: dict) -> None:
    chat = new_chat()
    post(rasa_server, update(chat, **media))
    sent = wait_for_messages(fake_bot_api, chat, 1)
    assert len(sent) == 1 and "photo" in sent[0]["text"].lower()


@pytest.mark.parametrize("secret", ["wrong-secret", None])
def test_a_wrong_or_missing_secret_is_refused(rasa_server: Server, fake_bot_api: FakeHTTPServer, secret) -> None:
    chat = new_chat()
    assert post(rasa_server, update(chat, text="hi"), secret).status_code == 403
    time.sleep(1.5)
    assert calls(fake_bot_api, chat, "sendMessage") == []


def test_a_redelivered_update_is_answered_once(rasa_server: Server, fake_bot_api: FakeHTTPServer) -> None:
    chat = new_chat()
    body = update(chat, text="thanks")
    post(rasa_server, body)
    post(rasa_server, body)
    time.sleep(2)
    assert len(wait_for_messages(fake_bot_api, chat, 1)) == 1


def test_the_token_never_leaks(
    rasa_server: Server, action_server: Server, fake_bot_api: FakeHTTPServer, fake_wikipedia, image_host, telegram_photo
) -> None:
    """After a photo, a file Telegram cannot give and a button tap, the token is in no log, tracker or reply."""
    serve_banana(image_host, fake_wikipedia)
    chat = new_chat()
    post(rasa_server, update(chat, photo=photo_sizes(telegram_photo)))
    post(rasa_server, update(chat, photo=photo_sizes("AgAD-unknown-to-the-fake-bot-api")))
    tap = {"update_id": random.randint(1, 2**31), "callback_query": {"id": "cb", "from": {"id": chat}, "data": "/deny"}}
    post(rasa_server, tap)
    wait_for_messages(fake_bot_api, chat, 3)
    assert TELEGRAM_TOKEN not in rasa_server.log()
    assert TELEGRAM_TOKEN not in action_server.log()
    tracker_db = rasa_server.env["TRACKER_DB"]
    with open(tracker_db, "rb") as db:
        content = db.read()
    assert b"telegram_file_id" in content  # the photos are in the tracker, by file id only
    assert TELEGRAM_TOKEN.encode() not in content
    replies = [r.body.decode() for r in fake_bot_api.requests if r.path.endswith("/sendMessage")]
    assert replies and all(TELEGRAM_TOKEN not in reply for reply in replies)
