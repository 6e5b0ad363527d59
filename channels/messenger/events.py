"""Meta's Messenger webhook payload -> our IncomingMessages (plain Python, no Rasa import).

Every entry and every messaging event of a POST is read; echoes, deliveries, reads and reactions are ignored.
A quick-reply tap or a postback becomes its payload as text (e.g. "/affirm"). Total: any JSON value gives
messages or nothing, and every value taken passes `channels.boundary`.
"""

from __future__ import annotations

import re
from typing import Any

from channels.boundary import MESSAGE_ID, clean_id, clean_int_id, clean_text, clean_url, dict_at, list_at
from channels.contract import IncomingMessage
from common.contract import MAX_IMAGES

CHANNEL = "messenger"
PSID = re.compile(r"[0-9]{1,64}")  # a page-scoped user id: digits
ATTACHMENT_TYPE = re.compile(r"[a-z_]{1,32}")


def incoming_messages(payload: Any) -> list[IncomingMessage]:
    """The user messages of one webhook POST, in order."""
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return []
    events = [event for entry in list_at(payload, "entry") for event in list_at(entry, "messaging")]
    return [message for message in map(from_event, events) if message is not None]


def from_event(event: Any) -> IncomingMessage | None:
    """One messaging event as a user message; None for echoes, deliveries, reads and anything else."""
    sender = clean_id(dict_at(event, "sender").get("id"), PSID)
    if sender is None:
        return None
    postback = dict_at(event, "postback")
    if postback:
        timestamp = clean_int_id(event.get("timestamp"))
        mid = clean_id(postback.get("mid"), MESSAGE_ID) or (timestamp and f"postback-{sender}-{timestamp}")
        text = clean_text(postback.get("payload")) or clean_text(postback.get("title"))
        return IncomingMessage(CHANNEL, sender, mid, text=text) if mid else None
    message = dict_at(event, "message")
    mid = clean_id(message.get("mid"), MESSAGE_ID)
    if mid is None or message.get("is_echo"):
        return None
    text = clean_text(dict_at(message, "quick_reply").get("payload")) or clean_text(message.get("text"))
    incoming = IncomingMessage(CHANNEL, sender, mid, text=text)
    for attachment in list_at(message, "attachments"):
        add_attachment(incoming, attachment)
    return incoming


def add_attachment(incoming: IncomingMessage, attachment: Any) -> None:
    """A photo goes to `images`; a sticker (an "image" with a sticker_id), GIF, video, audio or file elsewhere."""
    if not isinstance(attachment, dict):
        return
    kind = clean_id(attachment.get("type"), ATTACHMENT_TYPE) or "unknown"
    payload = dict_at(attachment, "payload")
    url = clean_url(payload.get("url"))
    if kind == "image" and payload.get("sticker_id") is not None:
        kind = "sticker"
    elif kind == "image" and url is not None and url.split("?")[0].lower().endswith(".gif"):
        kind = "animation"
    if kind == "image" and url is not None:
        if len(incoming.images) < MAX_IMAGES:
            incoming.images.append({"url": url})
    elif len(incoming.other_attachments) < MAX_IMAGES:
        incoming.other_attachments.append({"type": kind})
