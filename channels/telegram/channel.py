"""Our Telegram channel: webhook at /webhooks/telegram/webhook, registered in credentials.yml.

Unlike Rasa 3.6's connector it understands photos, captions and images sent as files; checks Telegram's
X-Telegram-Bot-Api-Secret-Token header in constant time (403 otherwise); never calls getMe per request; does not
set its webhook at start-up (`make telegram-webhook URL=…` does), so it starts offline; drops redelivered
updates; and answers 200 at once while the conversation runs in the background.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.contract import IncomingMessage
from channels.intake import BeforeHook, MessageIntake, OnNewMessage
from channels.settings import ChannelSettings
from channels.signatures import same_secret
from channels.telegram.bot_api import BotAPI
from channels.telegram.updates import incoming_message
from channels.text_output import TextOutput

log = logging.getLogger(__name__)
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
        settings = ChannelSettings.from_env()
        self.secret_token = secret_token
        self.bot = BotAPI(settings.telegram_api_url, access_token, settings.outbound_timeout_s)
        self.intake = MessageIntake(self.name())

    def get_output_channel(self) -> OutputChannel:
        return TelegramOutput(self.bot)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not same_secret(self.secret_token, request.headers.get(SECRET_HEADER)):
                log.warning("telegram webhook POST refused: missing or wrong secret token")
                return response.text("forbidden", status=403)
            try:
                update = json.loads(request.body)
            except ValueError:
                log.warning("telegram webhook POST with a body that is not JSON")
                return response.text("bad request", status=400)
            incoming = incoming_message(update)
            if incoming is not None:
                self.intake.accept(incoming, self.get_output_channel(), on_new_message, self._before_processing(update))
            return response.text("ok")

        return webhook

    def _before_processing(self, update: dict[str, Any]) -> BeforeHook:
        """Stop the button's spinner (callback query); show 'typing' while a photo is classified."""

        async def hook(incoming: IncomingMessage) -> None:
            callback_id = (update.get("callback_query") or {}).get("id")
            if callback_id:
                await self.bot.answer_callback(str(callback_id))
            if incoming.images:
                await self.bot.typing(incoming.sender_id)

        return hook
