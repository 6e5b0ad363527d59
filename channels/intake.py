"""What every webhook channel of ours does with an incoming message: store it in the durable inbox before the
webhook answers (a redelivery is dropped there), then let workers answer it in the background, one sender at a
time and in arrival order, inside the safety net (plain Python).

A message is done only once its replies went out; each reply is recorded as it goes out, so that a message begun
again after a crash sends only the replies the user did not get yet (channels/replies.py). One that fails is tried
again later (with backoff); after `max_attempts` (a crash of the whole server while working on it counts too) the
user gets an apology and the message is set aside as dead, logged. A photo waits in the inbox while the action
server is down, and gets an apology if that lasts longer than `max_wait_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol

from channels.contract import IncomingMessage
from channels.guard import guarded
from channels.inbox import Inbox, Stored
from channels.replies import ReplyLog
from common.log_context import message_id

log = logging.getLogger(__name__)
Readiness = Callable[[IncomingMessage], Awaitable[bool]]  # can this message be answered now?


class Conversation(Protocol):
    """Where a channel's messages go: Rasa (channels.conversation), or a fake in tests."""

    async def converse(self, incoming: IncomingMessage, replies: ReplyLog) -> None:
        """Answer the message, every reply through `replies` (raise when it could not be answered)."""
        ...

    async def apologise(self, incoming: IncomingMessage) -> None: ...


class MessageIntake:
    def __init__(
        self,
        input_channel: str,
        conversation: Conversation,
        inbox: Inbox,
        *,
        ready: Readiness | None = None,
        workers: int = 8,
        max_attempts: int = 4,  # retried after 2, 4, 8 s: a restarting action server is back by then
        retry_s: float = 2.0,
        max_wait_s: float = 120.0,
        lease_s: float = 30.0,
        poll_s: float = 0.5,
    ) -> None:
        self.input_channel, self.conversation, self.inbox, self.ready = input_channel, conversation, inbox, ready
        self.n_workers, self.max_attempts, self.retry_s, self.max_wait_s = workers, max_attempts, retry_s, max_wait_s
        self.lease_s, self.poll_s = lease_s, poll_s
        self.owner = f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._work = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []

    async def accept(self, incoming: IncomingMessage) -> bool:
        """Store `incoming` for the workers; False (nothing stored) for a redelivery or a message with nothing in
        it for the bot. Raises when the inbox cannot store it: the webhook must not answer 200 then."""
        if not incoming.rasa_text().strip():
            log.info("%s has no text or attachment: ignored", describe(incoming))
            return False
        if not await self.inbox.put(incoming):
            log.info("%s redelivered: ignored", describe(incoming))
            return False
        log.info("%s accepted from %s", describe(incoming), incoming.sender_id)
        self._work.set()
        return True

    def start(self) -> None:
        """Start the workers (inside the server's event loop); they first take what a previous run left."""
        self._workers = [asyncio.get_running_loop().create_task(self._worker(n)) for n in range(self.n_workers)]
        log.info("%s intake: %d workers", self.input_channel, self.n_workers)

    async def stop(self) -> None:
        """Stop the workers; a message being answered stays in the inbox for the next start."""
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await self.inbox.close()

    async def drain(self, timeout_s: float = 30.0) -> None:
        """Wait until the inbox holds nothing left to answer (for tests)."""
        deadline = time.monotonic() + timeout_s
        while await self.inbox.pending():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{await self.inbox.pending()} messages still pending")
            await asyncio.sleep(0.05)

    async def _worker(self, n: int) -> None:
        """Take a sender with messages ready, answer them, and again; nothing but cancellation ends it."""
        owner = f"{self.owner}-{n}"
        while True:
            if not await guarded(f"{self.input_channel} worker {n}", partial(self._take_turn, owner)):
                await asyncio.sleep(self.poll_s)  # the inbox failed (logged): not in a tight loop

    async def _take_turn(self, owner: str) -> None:
        sender = await self.inbox.claim(owner, self.lease_s)
        if sender is None:
            self._work.clear()
            with contextlib.suppress(asyncio.TimeoutError):  # not the builtin TimeoutError on Python 3.10
                await asyncio.wait_for(self._work.wait(), self.poll_s)
            return
        renewal = asyncio.get_running_loop().create_task(self._keep_lease(sender, owner))
        try:
            await self._serve(sender)
        finally:
            renewal.cancel()
            with contextlib.suppress(Exception):
                await self.inbox.release(sender, owner)

    async def _keep_lease(self, sender: str, owner: str) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            await self.inbox.renew(sender, owner, self.lease_s)

    async def _serve(self, sender: str) -> None:
        """Answer the sender's messages in order until none is left, or one has to wait."""
        while (stored := await self.inbox.head(sender)) is not None:
            if not await self._answer(stored):
                return

    async def _answer(self, stored: Stored) -> bool:
        """Answer one message: True when the sender's next message may follow now, False when this one waits."""
        incoming = stored.message
        with message_id(incoming.message_id):
            if self.ready is not None and not await self.ready(incoming):
                if time.time() - stored.accepted_at < self.max_wait_s:
                    await self.inbox.postpone(incoming, self.retry_s)
                    return False
                log.error("%s waited %.0f s for the action server: given up", describe(incoming), self.max_wait_s)
                await self._give_up(incoming)
                return True
            attempts = await self.inbox.begin(incoming)
            if attempts > self.max_attempts:  # begun that often already: the server died while answering it
                log.error("%s was begun %d times without an answer: given up", describe(incoming), attempts - 1)
                await self._give_up(incoming)
                return True
            started = time.monotonic()
            replies = ReplyLog(stored.replied, partial(self.inbox.replied, incoming))
            if await guarded(describe(incoming), lambda: self.conversation.converse(incoming, replies)):
                await self.inbox.done(incoming)
                log.info("%s answered in %.0f ms", describe(incoming), 1000 * (time.monotonic() - started))
                return True
            if attempts >= self.max_attempts:
                log.error("%s failed %d times: given up", describe(incoming), attempts)
                await self._give_up(incoming)
                return True
            await self.inbox.postpone(incoming, self.retry_s * 2 ** (attempts - 1))
            return False

    async def _give_up(self, incoming: IncomingMessage) -> None:
        await guarded(f"the apology for {describe(incoming)}", lambda: self.conversation.apologise(incoming))
        await self.inbox.dead(incoming)


async def process(conversation: Conversation, incoming: IncomingMessage) -> None:
    """Answer one message at once, inside the safety net, apologising when that fails (for the REST channel, whose
    client waits for the answer); every log line written meanwhile carries the message id."""
    with message_id(incoming.message_id):
        await guarded(
            describe(incoming),
            lambda: conversation.converse(incoming, ReplyLog()),
            lambda: conversation.apologise(incoming),
        )


def describe(incoming: IncomingMessage) -> str:
    """How log lines name a message: its channel and id."""
    return f"{incoming.channel} message {incoming.message_id}"
