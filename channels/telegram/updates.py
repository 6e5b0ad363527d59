"""Telegram Bot API updates -> our IncomingMessages (plain Python, no Rasa import).

Photos (largest size) and image documents become `{"telegram_file_id": ...}`: the action server resolves the
file with the bot token from its own environment, so the token is never in the tracker, logs or replies.
A caption is the text of a photo message. Commands: /start greets, /help helps. A button tap (callback query)
becomes its data as text.
"""

from __future__ import annotations

import re
from typing import Any

from channels.contract import IncomingMessage

CHANNEL = "telegram"
COMMANDS = {"/start": "/greet", "/help": "/help"}
OTHER_MEDIA = ("sticker", "animation", "video", "video_note", "voice", "audio", "document", "location", "contact")
COMMAND = re.compile(r"^(/[a-z_]+)(@\w+)?(\s|$)", re.IGNORECASE)


def incoming_message(update: Any) -> IncomingMessage | None:
    """The user message of one update; None for edits, channel posts, bots and anything else."""
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return None
    update_id = str(update["update_id"])
    callback = update.get("callback_query")
    if isinstance(callback, dict):
        chat = ((callback.get("message") or {}).get("chat") or {}).get("id") or (callback.get("from") or {}).get("id")
        if chat is None:
            return None
        return IncomingMessage(CHANNEL, str(chat), update_id, text=str(callback.get("data") or ""))
    message = update.get("message")
    if not isinstance(message, dict) or (message.get("from") or {}).get("is_bot"):
        return None
    chat_id = (message.get("chat") or {}).get("id")
    if chat_id is None:
        return None
    incoming = IncomingMessage(
        CHANNEL, str(chat_id), update_id, text=command_text(message.get("text") or message.get("caption") or "")
    )
    add_media(incoming, message)
    return incoming


def command_text(text: str) -> str:
    """/start and /help (also "/help@OurBot") as our intent triggers; other text unchanged."""
    match = COMMAND.match(text.strip())
    if match and match.group(1).lower() in COMMANDS:
        return COMMANDS[match.group(1).lower()]
    return text


def add_media(incoming: IncomingMessage, message: dict[str, Any]) -> None:
    """The largest photo size, or an image sent "as file", is a photo; other media are named by type."""
    photos = [p for p in message.get("photo") or [] if isinstance(p, dict) and p.get("file_id")]
    if photos:
        largest = max(photos, key=lambda p: (p.get("width", 0) * p.get("height", 0), p.get("file_size", 0)))
        incoming.images.append({"telegram_file_id": str(largest["file_id"])})
        return
    document = message.get("document")
    if (
        isinstance(document, dict)
        and str(document.get("mime_type", "")).startswith("image/")
        and document.get("file_id")
    ):
        incoming.images.append({"telegram_file_id": str(document["file_id"])})
        return
    for kind in OTHER_MEDIA:
        if message.get(kind):
            incoming.other_attachments.append({"type": kind})
            return
