"""Hand an IncomingMessage to Rasa as a UserMessage, and apologise through the same output channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.contract import IncomingMessage
from common import log_context

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
BeforeHook = Callable[[IncomingMessage], Awaitable[None]]
APOLOGY = "Sorry, something went wrong on my side with that message. Could you send it again?"


@dataclass(frozen=True)
class RasaConversation:
    """One channel's way into Rasa: `before` runs first (typing indicators and the like)."""

    input_channel: str
    output: OutputChannel
    on_new_message: OnNewMessage
    before: BeforeHook | None = None

    def __post_init__(self) -> None:
        log_context.install()  # Rasa has configured logging by now: its handlers get the message-id prefix too

    async def converse(self, incoming: IncomingMessage) -> None:
        if self.before is not None:
            await self.before(incoming)
        message = UserMessage(
            incoming.rasa_text(),
            self.output,
            incoming.sender_id,
            input_channel=self.input_channel,
            message_id=incoming.message_id,
            metadata=incoming.metadata(),
        )
        await self.on_new_message(message)

    async def apologise(self, incoming: IncomingMessage) -> None:
        await self.output.send_text_message(incoming.sender_id, APOLOGY)
