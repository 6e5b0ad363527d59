"""What every webhook channel of ours does with an incoming message: drop redeliveries, answer the webhook at
once, and run the conversation in the background, in order per sender (Rasa's lock store serialises the rest),
inside the safety net: a message that fails is logged with its id and apologised for (plain Python)."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from channels.contract import IncomingMessage
from channels.dedupe import SeenIds
from channels.guard import guarded
from channels.ordered_tasks import OrderedTasks
from common.log_context import message_id

log = logging.getLogger(__name__)


class Conversation(Protocol):
    """Where a channel's messages go: Rasa (channels.conversation), or a fake in tests."""

    async def converse(self, incoming: IncomingMessage) -> None: ...

    async def apologise(self, incoming: IncomingMessage) -> None: ...


class MessageIntake:
    def __init__(self, input_channel: str, conversation: Conversation) -> None:
        self.input_channel = input_channel
        self.conversation = conversation
        self.seen = SeenIds()
        self.tasks = OrderedTasks()

    def accept(self, incoming: IncomingMessage) -> bool:
        """Queue `incoming` for background processing; False (and nothing queued) for a redelivery or a message
        with nothing in it for the bot (no text, no attachment)."""
        if not incoming.rasa_text().strip():
            log.info("%s message %s has no text or attachment: ignored", self.input_channel, incoming.message_id)
            return False
        if not self.seen.first_time(incoming.message_id):
            log.info("%s message %s redelivered: ignored", self.input_channel, incoming.message_id)
            return False
        self.tasks.submit(incoming.sender_id, lambda: process(self.conversation, incoming), describe(incoming))
        return True


async def process(conversation: Conversation, incoming: IncomingMessage) -> None:
    """Run one message through the conversation inside the safety net (failures: logged, apologised for); every
    log line written meanwhile, Rasa's included, carries the message id."""
    with message_id(incoming.message_id):
        started = time.monotonic()
        answered = await guarded(
            describe(incoming), lambda: conversation.converse(incoming), lambda: conversation.apologise(incoming)
        )
        if answered:
            log.info("%s answered in %.0f ms", describe(incoming), 1000 * (time.monotonic() - started))


def describe(incoming: IncomingMessage) -> str:
    """How log lines name a message: its channel and id."""
    return f"{incoming.channel} message {incoming.message_id}"
