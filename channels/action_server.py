"""Is the action server up? Asked before a photo is answered: while it is down, photos wait in the inbox."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import aiohttp

from channels.contract import IncomingMessage

log = logging.getLogger(__name__)


@dataclass
class ActionServerProbe:
    webhook_url: str  # the action endpoint Rasa calls (…/webhook); its /health is asked
    timeout_s: float = 1.0
    remember_s: float = 1.0  # one answer serves every photo for this long
    _answer: tuple[float, bool] = (0.0, False)
    _session: aiohttp.ClientSession | None = field(default=None, repr=False)

    async def ready(self, incoming: IncomingMessage) -> bool:
        """True for a message without photos, and for photos while the action server answers /health."""
        if not incoming.images:
            return True
        asked_at, up = self._answer
        if time.monotonic() - asked_at > self.remember_s:
            up = await self._ask()
            if up != self._answer[1]:
                log.warning("action server %s", "is back" if up else "is not answering: photos wait in the inbox")
            self._answer = (time.monotonic(), up)
        return up

    async def _ask(self) -> bool:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        url = self.webhook_url.split("?")[0].removesuffix("/webhook") + "/health"
        try:
            async with self._session.get(url) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False
