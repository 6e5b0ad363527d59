"""Telegram Bot API updates -> our IncomingMessages (plain Python, no Rasa import).

Photos (largest size) and image documents become `{"telegram_file_id": ...}`: the action server resolves the
file with the bot token from its own environment, so the token is never in the tracker, logs or replies.
A caption is the text of a photo message. Commands: /start greets, /help helps. A button tap (callback query)
becomes its data as text. Total: any JSON value gives a message or None, and every value taken passes
`channels.boundary` (chat and update ids are integers, as the Bot API sends them).
"""

from __future__ import annotations

import re
from typing import Any

from channels.boundary import MESSAGE_ID, clean_id, clean_int_id, clean_text, dict_at, list_at
from channels.contract import IncomingMessage

CHANNEL = "telegram"
COMMANDS = {"/start": "/greet", "/help": "/help"}
OTHER_MEDIA = ("sticker", "animation", "video", "video_note", "voice", "audio", "document", "location", "contact")
COMMAND = re.compile(r"^(/[a-z_]+)(@\w+)?(\s|$)", re.IGNORECASE)
FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")


def incoming_message(update: Any) -> IncomingMessage | None:
    """The user message of one update; None for edits, channel posts, bots and anything else."""
    update_id = clean_int_id(update.get("update_id")) if isinstance(update, dict) else None
    if update_id is None:
        return None
    callback = dict_at(update, "callback_query")
    if callback:
        chat = clean_int_id(dict_at(dict_at(callback, "message"), "chat").get("id"))
        chat = chat or clean_int_id(dict_at(callback, "from").get("id"))
        return IncomingMessage(CHANNEL, chat, update_id, text=clean_text(callback.get("data"))) if chat else None
    message = dict_at(update, "message")
    chat_id = clean_int_id(dict_at(message, "chat").get("id"))
    if chat_id is None or dict_at(message, "from").get("is_bot"):
        return None
    text = clean_text(message.get("text")) or clean_text(message.get("caption"))
    incoming = IncomingMessage(CHANNEL, chat_id, update_id, text=command_text(text))
    add_media(incoming, message)
    return incoming


def callback_query_id(update: Any) -> str | None:
    """The id of a button tap's callback query, to stop its spinner; None when the update is no tap."""
    return clean_id(dict_at(update, "callback_query").get("id"), MESSAGE_ID)


def command_text(text: str) -> str:
    """/start and /help (also "/help@OurBot") as our intent triggers; other text unchanged."""
    match = COMMAND.match(text.strip())
    if match and match.group(1).lower() in COMMANDS:
        return COMMANDS[match.group(1).lower()]
    return text


def add_media(incoming: IncomingMessage, message: dict[str, Any]) -> None:
    """The largest photo size, or an image sent "as file", is a photo; other media are named by type."""
    photos = [p for p in list_at(message, "photo") if isinstance(p, dict) and clean_id(p.get("file_id"), FILE_ID)]
    if photos:
        largest = max(photos, key=lambda p: (number(p, "width") * number(p, "height"), number(p, "file_size")))
        incoming.images.append({"telegram_file_id": largest["file_id"]})
        return
    document = dict_at(message, "document")
    file_id = clean_id(document.get("file_id"), FILE_ID)
    if file_id and clean_text(document.get("mime_type")).startswith("image/"):
        incoming.images.append({"telegram_file_id": file_id})
        return
    for kind in OTHER_MEDIA:
        if message.get(kind):
            incoming.other_attachments.append({"type": kind})
            return


def number(size: dict[str, Any], key: str) -> int:
    """A photo size's field as the Bot API sends it (an integer); 0 for anything else."""
    value = size.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31 else 0
