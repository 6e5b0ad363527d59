"""Meta's Messenger webhook payload -> our IncomingMessages (plain Python, no Rasa import).

Every entry and every messaging event of a POST is read; echoes, deliveries, reads and reactions are ignored.
A quick-reply tap or a postback becomes its payload as text (e.g. "/affirm").
"""

from __future__ import annotations

from typing import Any

from channels.contract import IncomingMessage

CHANNEL = "messenger"


def incoming_messages(payload: Any) -> list[IncomingMessage]:
    """The user messages of one webhook POST, in order."""
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return []
    messages = []
    for entry in payload.get("entry") or []:
        for event in (entry.get("messaging") or []) if isinstance(entry, dict) else []:
            message = from_event(event) if isinstance(event, dict) else None
            if message is not None:
                messages.append(message)
    return messages


def from_event(event: dict[str, Any]) -> IncomingMessage | None:
    """One messaging event as a user message; None for echoes, deliveries, reads and anything else."""
    sender = str((event.get("sender") or {}).get("id") or "")
    if not sender:
        return None
    if isinstance(event.get("postback"), dict):
        postback = event["postback"]
        mid = postback.get("mid") or f"postback-{sender}-{event.get('timestamp')}"
        return IncomingMessage(
            CHANNEL, sender, str(mid), text=str(postback.get("payload") or postback.get("title") or "")
        )
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo") or not message.get("mid"):
        return None
    quick_reply = (message.get("quick_reply") or {}).get("payload")
    incoming = IncomingMessage(CHANNEL, sender, str(message["mid"]), text=str(quick_reply or message.get("text") or ""))
    for attachment in message.get("attachments") or []:
        add_attachment(incoming, attachment)
    return incoming


def add_attachment(incoming: IncomingMessage, attachment: Any) -> None:
    """A photo goes to `images`; a sticker (an "image" with a sticker_id), GIF, video, audio or file elsewhere."""
    if not isinstance(attachment, dict):
        return
    kind = str(attachment.get("type") or "unknown")
    payload = attachment.get("payload") if isinstance(attachment.get("payload"), dict) else {}
    url = payload.get("url")
    if kind == "image" and payload.get("sticker_id") is not None:
        kind = "sticker"
    elif kind == "image" and isinstance(url, str) and url.split("?")[0].lower().endswith(".gif"):
        kind = "animation"
    if kind == "image" and isinstance(url, str) and url.startswith(("https://", "http://")):
        incoming.images.append({"url": url})
    else:
        incoming.other_attachments.append({"type": kind})
