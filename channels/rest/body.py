"""A REST webhook body -> one IncomingMessage, or why it can't be used (plain Python, no Rasa import).

`{"sender": "...", "message": "...", "metadata": {"images": [{"url": "https://..."}]}}`: the sender is an id of
our REST alphabet, the message a text (may be empty when images come), images are http(s) URLs only. Nothing
else of the client's metadata reaches the tracker. Total: any JSON value gives a message or a Refusal.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from channels.boundary import clean_text, clean_url, dict_at, list_at
from channels.contract import IncomingMessage
from common.contract import MAX_IMAGES

CHANNEL = "rest"
SENDER = re.compile(r"[A-Za-z0-9_.:@+=-]{1,128}")


@dataclass(frozen=True)
class Refusal:
    """Why a body can't be used: the text of the 400 answer."""

    reason: str


def incoming_message(body: Any) -> IncomingMessage | Refusal:
    """The message of one REST POST body."""
    if not isinstance(body, dict):
        return Refusal("the body must be a JSON object")
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        return Refusal("sender: 1-128 characters of A-Z a-z 0-9 _ . : @ + = -")
    text = body.get("message", "")
    if not isinstance(text, str):
        return Refusal("message: a string")
    urls = [
        clean_url(entry.get("url"))
        for entry in list_at(dict_at(body, "metadata"), "images")[:MAX_IMAGES]
        if isinstance(entry, dict)
    ]
    images = [{"url": url} for url in urls if url is not None]
    incoming = IncomingMessage(CHANNEL, sender, uuid.uuid4().hex, text=clean_text(text), images=images)
    if not incoming.rasa_text().strip():
        return Refusal("message: a text, or metadata.images with an http(s) URL")
    return incoming
