"""Telegram Bot API, async: sendMessage (inline keyboards), sendChatAction, answerCallbackQuery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from channels.http_retry import post_json

TEXT_LIMIT = 4096


@dataclass
class BotAPI:
    base_url: str  # e.g. https://api.telegram.org
    token: str
    timeout_s: float = 10.0
    _session: aiohttp.ClientSession | None = None

    async def call(self, method: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """POST one Bot API method (the URL holds the token: it is never logged)."""
        if self._session is None or self._session.closed:  # created inside the server's event loop
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        return await post_json(
            self._session, f"{self.base_url}/bot{self.token}/{method}", body, what=f"telegram {method}"
        )

    async def send_text(self, chat_id: str, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        body: dict[str, Any] = {"chat_id": chat_id, "text": text[:TEXT_LIMIT]}
        if buttons:
            row = [{"text": b["title"], "callback_data": b["payload"][:64]} for b in buttons]
            body["reply_markup"] = {"inline_keyboard": [row]}
        await self.call("sendMessage", body)

    async def typing(self, chat_id: str) -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": "typing"})

    async def answer_callback(self, callback_query_id: str) -> None:
        await self.call("answerCallbackQuery", {"callback_query_id": callback_query_id})
