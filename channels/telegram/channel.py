"""Our Telegram channel: webhook at /webhooks/telegram/webhook, registered in credentials.yml.

Unlike Rasa 3.6's connector it understands photos, captions and images sent as files; checks Telegram's
X-Telegram-Bot-Api-Secret-Token header in constant time (403 otherwise); never calls getMe per request; does not
set its webhook at start-up (`make telegram-webhook URL=…` does), so it starts offline; drops redelivered
updates; answers 413 to a body over 1 MB, 400 to one that is not a JSON object, and parses any JSON object
without raising; and answers 200 at once while the conversation runs in the background.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.boundary import json_object
from channels.contract import IncomingMessage
from channels.conversation import OnNewMessage, RasaConversation
from channels.settings import ChannelSettings
from channels.signatures import same_secret
from channels.telegram.bot_api import BotAPI
from channels.telegram.updates import callback_query_id, incoming_message
from channels.text_output import TextOutput
from channels.webhook import (
    accept_all,
    add_lifecycle,
    bad_request,
    forbidden,
    intake_for,
    read_body,
    too_large,
    unavailable,
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret


class TelegramOutput(TextOutput):
    """Rasa's replies as Bot API messages; buttons become an inline keyboard."""

    def __init__(self, bot: BotAPI) -> None:
        super().__init__(bot.send_text)

    @classmethod
    def name(cls) -> str:
        return "telegram"


class TelegramInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials or not credentials.get("access_token") or not credentials.get("secret_token"):
            raise ValueError("Telegram needs TELEGRAM_TOKEN and TELEGRAM_SECRET_TOKEN")
        return cls(credentials["access_token"], credentials["secret_token"])

    def __init__(self, access_token: str, secret_token: str) -> None:
        self.settings = ChannelSettings.from_env()
        self.secret_token = secret_token
        self.bot = BotAPI(self.settings.telegram_api_url, access_token, self.settings.outbound_timeout_s)
        self.callbacks: dict[str, str] = {}  # message id -> callback query id, until the tap is processed

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self.bot)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)
        conversation = RasaConversation(self.name(), self.get_output_channel(), on_new_message, self._before)
        intake = intake_for(self.name(), conversation, self.settings)
        add_lifecycle(webhook, intake)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            if not same_secret(self.secret_token, request.headers.get(SECRET_HEADER)):
                return forbidden(self.name(), "POST with a missing or wrong secret token")
            body = await read_body(request)
            if body is None:
                return too_large(self.name())
            update = json_object(body)
            if update is None:
                return bad_request(self.name(), "the body is not a JSON object")
            incoming = incoming_message(update)
            callback_id = callback_query_id(update)
            if incoming is not None and callback_id is not None:
                self.callbacks[incoming.message_id] = callback_id
            if incoming is not None and not await accept_all(intake, [incoming]):
                return unavailable(self.name())  # Telegram delivers the update again later
            return response.text("ok")

        return webhook

    async def _before(self, incoming: IncomingMessage) -> None:
        """Stop the button's spinner (callback query); show 'typing' while a photo is classified."""
        callback_id = self.callbacks.pop(incoming.message_id, None)
        if callback_id is not None:
            await self.bot.answer_callback(callback_id)
        if incoming.images:
            await self.bot.typing(incoming.sender_id)
