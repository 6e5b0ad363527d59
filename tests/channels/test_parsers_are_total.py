"""Property: each parser takes any JSON value, at the top or at any place inside a real payload, and never
raises; whatever it returns has passed the boundary (clean text, ids of the channel's shape, http(s) URLs)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.message_images import MAX_URL_CHARS, images_in_message
from channels.boundary import MAX_TEXT_CHARS, MESSAGE_ID, SURROGATE, clean_text, json_object
from channels.contract import IncomingMessage
from channels.messenger.events import PSID, incoming_messages
from channels.rest.body import SENDER, Refusal
from channels.rest.body import incoming_message as rest_message
from channels.telegram.updates import callback_query_id
from channels.telegram.updates import incoming_message as telegram_message
from testkit.hostile import places, replaced

EDGE_STRINGS = ["", "\ud800", "a\x00b", "\udfff\ud800", "🍌", "\u202e", "0", "-1", "1" * 70, "x" * 5000, "https://"]
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=30) | st.sampled_from(EDGE_STRINGS)
scalars = st.none() | st.booleans() | st.integers() | st.integers(min_value=2**62) | st.floats() | any_text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)

MESSENGER = {
    "object": "page",
    "entry": [
        {
            "id": "1",
            "time": 1,
            "messaging": [
                {
                    "sender": {"id": "1234567890"},
                    "recipient": {"id": "1"},
                    "timestamp": 17,
                    "message": {
                        "mid": "m_1",
                        "text": "hi",
                        "quick_reply": {"payload": "/affirm"},
                        "attachments": [{"type": "image", "payload": {"url": "https://cdn.example/a.jpg"}}],
                    },
                },
                {"sender": {"id": "42"}, "timestamp": 18, "postback": {"mid": "m_2", "payload": "/help"}},
            ],
        }
    ],
}
TELEGRAM_MESSAGE = {
    "update_id": 7,
    "message": {
        "message_id": 1,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False},
        "caption": "what is it?",
        "photo": [{"file_id": "small", "width": 90, "height": 90}, {"file_id": "big", "width": 900, "height": 900}],
        "document": {"file_id": "doc", "mime_type": "image/png"},
    },
}
TELEGRAM_TAP = {
    "update_id": 8,
    "callback_query": {"id": "cb1", "from": {"id": 42}, "message": {"chat": {"id": 42}}, "data": "/affirm"},
}
REST = {"sender": "ada", "message": "hi", "metadata": {"images": [{"url": "https://cdn.example/a.jpg"}]}}


def mutations(template: Any) -> st.SearchStrategy[Any]:
    """The template with any JSON value at any one place, or any JSON value at all."""
    return json_values | st.builds(replaced, st.just(template), st.sampled_from(places(template)), json_values)


def assert_clean(message: IncomingMessage) -> None:
    """What every message past the boundary holds."""
    assert MESSAGE_ID.fullmatch(message.message_id)
    assert len(message.text) <= MAX_TEXT_CHARS and "\x00" not in message.text
    assert not SURROGATE.search(message.text)
    for image in message.images:
        [(key, value)] = image.items()
        assert key in ("url", "telegram_file_id") and value.isascii() and " " not in value
    json.dumps(message.metadata(), ensure_ascii=False).encode()  # storable: no lone surrogate anywhere


@settings(max_examples=400, deadline=None)
@given(mutations(MESSENGER))
def test_messenger_payloads(payload: Any) -> None:
    for message in incoming_messages(payload):
        assert PSID.fullmatch(message.sender_id)
        assert_clean(message)


@settings(max_examples=400, deadline=None)
@given(mutations(TELEGRAM_MESSAGE) | mutations(TELEGRAM_TAP))
def test_telegram_updates(update: Any) -> None:
    message = telegram_message(update)
    tap = callback_query_id(update)
    assert tap is None or MESSAGE_ID.fullmatch(tap)
    if message is not None:
        int(message.sender_id)
        assert_clean(message)


@settings(max_examples=400, deadline=None)
@given(mutations(REST))
def test_rest_bodies(body: Any) -> None:
    message = rest_message(body)
    if isinstance(message, Refusal):
        assert message.reason
    else:
        assert SENDER.fullmatch(message.sender_id) and message.rasa_text().strip()
        assert_clean(message)


@settings(max_examples=400, deadline=None)
@given(mutations({"text": "see https://cdn.example/a.jpg", "metadata": {"images": [{"url": "https://a/b.jpg"}]}}))
def test_the_action_servers_reading_of_a_message(latest_message: Any) -> None:
    for ref in images_in_message(latest_message):
        assert (ref.url or ref.telegram_file_id) and len(ref.url or ref.telegram_file_id or "") <= MAX_URL_CHARS


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.builds(lambda v: json.dumps(v).encode(), json_values))
def test_any_body_is_an_object_or_none(body: bytes) -> None:
    parsed = json_object(body)
    assert parsed is None or isinstance(parsed, dict)


def test_nesting_too_deep_for_the_parser_is_no_object() -> None:
    assert json_object(b"[" * 100_000 + b"]" * 100_000) is None
    assert json_object(b'{"a":' * 100_000 + b"1" + b"}" * 100_000) is None


def test_clean_text_keeps_real_text_and_mends_the_rest() -> None:
    assert clean_text("Banana 🍌, пожалуйста") == "Banana 🍌, пожалуйста"
    assert clean_text("a\x00b\ud800c") == "ab\ufffdc"
    assert len(clean_text("x" * 10_000)) == MAX_TEXT_CHARS
    assert clean_text(["not", "text"]) == clean_text(None) == ""
