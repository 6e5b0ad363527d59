"""Hand an IncomingMessage to Rasa as a UserMessage, and apologise through the same output channel.

Rasa works on its own thread (channels/rasa_thread.py); each reply it sends comes back to the server's loop,
where the channel's client and the inbox live.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.contract import IncomingMessage
from channels.rasa_thread import RASA, on
from channels.replies import ReplyLog
from common import log_context

OnNewMessage = Callable[[UserMessage], Coroutine[Any, Any, Any]]
BeforeHook = Callable[[IncomingMessage], Awaitable[None]]
APOLOGY = "Sorry, something went wrong on my side with that message. Could you send it again?"


class NoReply(Exception):
    """Rasa went through a message without sending anything back (an action that failed, say)."""


class LoggedOutput(OutputChannel):
    """An output channel that passes every response on to `inner` through the message's reply log, on `home`
    (the server's loop)."""

    def __init__(self, inner: OutputChannel, replies: ReplyLog, home: asyncio.AbstractEventLoop) -> None:
        self.inner, self.replies, self.home = inner, replies, home

    def name(self) -> str:  # Rasa picks channel-specific responses by this name
        return str(self.inner.name())

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await on(self.home, self.replies.send(lambda: self.inner.send_response(recipient_id, message)))


@dataclass(frozen=True)
class RasaConversation:
    """One channel's way into Rasa: `before` runs first (typing indicators and the like). With `expect_reply`,
    a message Rasa answers with nothing raises NoReply, so that the intake tries it again: every message of ours
    has an answer."""

    input_channel: str
    output: OutputChannel
    on_new_message: OnNewMessage
    before: BeforeHook | None = None
    expect_reply: bool = True

    def __post_init__(self) -> None:
        log_context.install()  # Rasa has configured logging by now: its handlers get the message-id prefix too

    async def converse(self, incoming: IncomingMessage, replies: ReplyLog) -> None:
        if self.before is not None:
            await self.before(incoming)
        output = LoggedOutput(self.output, replies, asyncio.get_running_loop())
        message = UserMessage(
            incoming.rasa_text(),
            output,
            incoming.sender_id,
            input_channel=self.input_channel,
            message_id=incoming.message_id,
            metadata=incoming.metadata(),
        )
        await RASA.run(self.on_new_message(message))
        if self.expect_reply and replies.count == 0:
            raise NoReply(f"no reply to {incoming.channel} message {incoming.message_id}")

    async def apologise(self, incoming: IncomingMessage) -> None:
        await self.output.send_text_message(incoming.sender_id, APOLOGY)
