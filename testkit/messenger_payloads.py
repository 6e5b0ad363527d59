"""Webhook payloads shaped like Meta's documented Messenger events, and their X-Hub-Signature-256."""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid


def new_psid() -> str:
    """A page-scoped user id as Meta sends it: digits."""
    return str(random.randint(10**15, 10**16 - 1))


def event(sender: str, message: dict) -> dict:
    return {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "timestamp": 1700000000000, "message": message}


def payload(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": "PAGE", "time": 1700000000000, "messaging": list(events)}]}


def text_message(text: str) -> dict:
    return {"mid": f"m_{uuid.uuid4().hex}", "text": text}


def photo_message(url: str, text: str | None = None) -> dict:
    message = {"mid": f"m_{uuid.uuid4().hex}", "attachments": [{"type": "image", "payload": {"url": url}}]}
    return {**message, "text": text} if text else message


def signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def sha1_signature(secret: str, raw: bytes) -> str:
    """The legacy X-Hub-Signature (SHA-1), which Rasa's stock Facebook connector checks."""
    return "sha1=" + hmac.new(secret.encode(), raw, hashlib.sha1).hexdigest()
