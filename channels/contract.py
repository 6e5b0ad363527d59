"""The photo-in-metadata contract, channel side: how a channel describes one user message to Rasa.

The action server reads the same schema (actions/message_images.py); tests check both sides against the same
JSON examples (tests/contract_examples.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.contract import PHOTOS_ONLY_TRIGGER, SEND_IMAGE_TRIGGER


@dataclass
class IncomingMessage:
    """One user message as a channel understood it."""

    channel: str
    sender_id: str
    message_id: str
    text: str = ""
    images: list[dict[str, str]] = field(default_factory=list)  # [{"url": ...}] or [{"telegram_file_id": ...}]
    other_attachments: list[dict[str, str]] = field(default_factory=list)  # [{"type": "sticker"}, ...]

    def rasa_text(self) -> str:
        """What Rasa's NLU sees: the user's words; the intent trigger when only attachments came."""
        if self.text.strip():
            return self.text
        if self.images:
            return SEND_IMAGE_TRIGGER
        return PHOTOS_ONLY_TRIGGER if self.other_attachments else ""

    def metadata(self) -> dict[str, Any]:
        """The message metadata (stored in the tracker: never put a secret here)."""
        return {
            "channel": self.channel,
            "images": self.images,
            "other_attachments": self.other_attachments,
            "message_id": self.message_id,
        }
