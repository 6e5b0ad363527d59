"""The replies of one message, counted as they go out, so that a message tried again after a crash does not send
the user what they already got (plain Python).

The intake records every reply that went out in the inbox, right after it went out. When a server dies while it
answers a message (after the photo's answer went out, before Rasa saved the tracker, say), the next attempt runs
the conversation again and skips the first replies the inbox had recorded. What is left is the time between a
send and its record: a crash there repeats that one reply (the Send API has no idempotency key).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
Record = Callable[[int], Awaitable[None]]  # store "this many replies went out"


class ReplyLog:
    def __init__(self, delivered: int = 0, record: Record | None = None) -> None:
        self.delivered = delivered  # replies an earlier attempt sent
        self.record = record
        self.count = 0  # replies this attempt has produced, skipped ones included

    async def send(self, deliver: Callable[[], Awaitable[None]]) -> None:
        """Deliver the next reply, unless an earlier attempt delivered it already; then record it."""
        self.count += 1
        if self.count <= self.delivered:
            log.info("reply %d went out on an earlier attempt: not sent again", self.count)
            return
        await deliver()
        if self.record is not None:
            await self.record(self.count)
