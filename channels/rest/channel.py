"""Our REST channel, in place of Rasa's `rest`: POST /webhooks/rest/webhook, answered with the bot's replies.

Unlike Rasa's RestInput it takes a Bearer token (`REST_TOKEN`, constant-time compare, 401 without it) when one
is configured; answers 413 to a body over 1 MB and 400, with the reason, to any body it can't use (not JSON,
not an object, a bad sender id, no text); never streams (`?stream=true` is answered as a plain request); keeps
nothing of the client's metadata but http(s) image URLs; and runs the conversation inside the same safety net
as the other channels, so a failure is an apology in the reply, never a dead server.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.boundary import json_object
from channels.conversation import OnNewMessage, RasaConversation
from channels.intake import process
from channels.rest.body import Refusal, incoming_message
from channels.signatures import valid_bearer
from channels.webhook import bad_request, forbidden, read_body, too_large

log = logging.getLogger(__name__)


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(str((credentials or {}).get("token") or ""))

    def __init__(self, token: str = "") -> None:
        self.token = token
        if not token:
            log.warning("the REST channel takes requests without a token: bind the server to loopback only")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("fruitbot_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            if self.token and not valid_bearer(self.token, request.headers.get("authorization")):
                return forbidden(self.name(), "POST without the right Bearer token", status=401)
            body = await read_body(request)
            if body is None:
                return too_large(self.name())
            incoming = incoming_message(json_object(body))
            if isinstance(incoming, Refusal):
                return bad_request(self.name(), incoming.reason)
            collector = CollectingOutputChannel()
            await process(RasaConversation(self.name(), collector, on_new_message), incoming)
            return response.json(collector.messages)

        return webhook
