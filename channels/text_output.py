"""An output channel for clients that send text with optional buttons: what Messenger and Telegram share."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel

Button = dict[str, str]  # {"title": "👍 Right", "payload": "/affirm"}
SendText = Callable[[str, str, list[Button] | None], Awaitable[None]]  # (recipient, text, buttons)


class TextOutput(OutputChannel):
    """Rasa's text replies, and its buttons (or quick replies) as the channel's own choice chips."""

    def __init__(self, send_text: SendText) -> None:
        self._send_text = send_text

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_text(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_text(recipient_id, text, [{"title": b["title"], "payload": b["payload"]} for b in buttons])

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)
