"""Meta's Graph API Send API, async: text, quick replies and sender actions (typing, seen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from channels.http_retry import post_json

TEXT_LIMIT = 2000  # Messenger's maximum text length
QUICK_REPLY_TITLE_LIMIT = 20


@dataclass
class GraphAPI:
    base_url: str  # e.g. https://graph.facebook.com
    version: str  # e.g. v23.0
    page_access_token: str
    timeout_s: float = 10.0
    _session: aiohttp.ClientSession | None = None

    async def _send(self, body: dict[str, Any], what: str) -> dict[str, Any] | None:
        if self._session is None or self._session.closed:  # created inside the server's event loop
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        url = f"{self.base_url}/{self.version}/me/messages"
        return await post_json(self._session, url, body, params={"access_token": self.page_access_token}, what=what)

    async def send_text(self, recipient_id: str, text: str, quick_replies: list[dict[str, str]] | None = None) -> None:
        """A text message (cut to Messenger's limit), with quick-reply chips when given."""
        message: dict[str, Any] = {"text": text[:TEXT_LIMIT]}
        if quick_replies:
            message["quick_replies"] = [
                {"content_type": "text", "title": qr["title"][:QUICK_REPLY_TITLE_LIMIT], "payload": qr["payload"]}
                for qr in quick_replies
            ]
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": message}
        await self._send(body, "messenger send")

    async def sender_action(self, recipient_id: str, action: str) -> None:
        """mark_seen, typing_on or typing_off."""
        await self._send({"recipient": {"id": recipient_id}, "sender_action": action}, f"messenger {action}")

    async def send_image(self, recipient_id: str, url: str) -> None:
        attachment = {"type": "image", "payload": {"url": url, "is_reusable": True}}
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": {"attachment": attachment}}
        await self._send(body, "messenger send image")
