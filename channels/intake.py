"""What every channel of ours does with an incoming message: drop redeliveries, answer the webhook at once, and
run the conversation in the background, in order per sender (Rasa's lock store serialises the rest)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.contract import IncomingMessage
from channels.dedupe import SeenIds
from channels.ordered_tasks import OrderedTasks

log = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
BeforeHook = Callable[[IncomingMessage], Awaitable[None]]


class MessageIntake:
    def __init__(self, input_channel: str) -> None:
        self.input_channel = input_channel
        self.seen = SeenIds()
        self.tasks = OrderedTasks()

    def accept(
        self,
        incoming: IncomingMessage,
        output: OutputChannel,
        on_new_message: OnNewMessage,
        before: BeforeHook | None = None,
    ) -> bool:
        """Queue `incoming` for background processing; False (and nothing queued) for a redelivery or a message
        with nothing in it for the bot (no text, no attachment)."""
        if not incoming.rasa_text().strip():
            log.info("%s message %s has no text or attachment: ignored", self.input_channel, incoming.message_id)
            return False
        if not self.seen.first_time(incoming.message_id):
            log.info("%s message %s redelivered: ignored", self.input_channel, incoming.message_id)
            return False
        self.tasks.submit(incoming.sender_id, lambda: self._process(incoming, output, on_new_message, before))
        return True

    async def _process(
        self, incoming: IncomingMessage, output: OutputChannel, on_new_message: OnNewMessage, before: BeforeHook | None
    ) -> None:
        if before is not None:
            await before(incoming)
        message = UserMessage(
            incoming.rasa_text(),
            output,
            incoming.sender_id,
            input_channel=self.input_channel,
            message_id=incoming.message_id,
            metadata=incoming.metadata(),
        )
        await on_new_message(message)
