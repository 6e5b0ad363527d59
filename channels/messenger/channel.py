"""Our Messenger channel, built on Rasa's FacebookInput and registered in credentials.yml.

What it fixes in Rasa 3.6's connector: a wrong verify token gets 403 (not 200); a body over 1 MB gets 413
unread, one that is not a JSON object 400, and any JSON object is parsed without raising; POSTs need a valid
X-Hub-Signature-256 (constant-time compare; SHA-1 only if FB_ALLOW_SHA1_SIGNATURE), else 403; every entry
and messaging event is handled, not only the first; a redelivered `mid` is ignored; the webhook answers at once
and the conversation runs in the background, in order per sender; replies go through an async client with
retries to a configurable Graph API URL and version; attachments keep their type in the message metadata.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.boundary import clean_text, json_object
from channels.contract import IncomingMessage
from channels.conversation import OnNewMessage, RasaConversation
from channels.messenger.events import incoming_messages
from channels.messenger.graph_api import GraphAPI
from channels.settings import ChannelSettings
from channels.signatures import same_secret, valid_meta_request
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


class MessengerOutput(TextOutput):
    """Sends Rasa's replies through the Graph API; buttons become quick replies."""

    def __init__(self, graph: GraphAPI) -> None:
        super().__init__(graph.send_text)
        self.graph = graph

    @classmethod
    def name(cls) -> str:
        return "facebook"

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.graph.send_image(recipient_id, image)


class MessengerInput(FacebookInput):
    """Webhook at /webhooks/facebook/webhook (the name Rasa's connector uses, so Meta's settings carry over)."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials or not all(credentials.get(k) for k in ("verify", "secret", "page-access-token")):
            raise ValueError("Messenger needs FB_VERIFY_TOKEN, FB_APP_SECRET and FB_PAGE_ACCESS_TOKEN")
        return cls(credentials["verify"], credentials["secret"], credentials["page-access-token"])

    def __init__(self, fb_verify: str, fb_secret: str, fb_access_token: str) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.settings = ChannelSettings.from_env()
        self.graph = GraphAPI(
            self.settings.fb_graph_url,
            self.settings.fb_graph_version,
            fb_access_token,
            self.settings.outbound_timeout_s,
        )

    def get_output_channel(self) -> OutputChannel:
        return MessengerOutput(self.graph)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("messenger_webhook", __name__)
        conversation = RasaConversation(self.name(), self.get_output_channel(), on_new_message, self._show_activity)
        intake = intake_for(self.name(), conversation, self.settings)
        add_lifecycle(webhook, intake)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if request.args.get("hub.mode") == "subscribe" and same_secret(
                self.fb_verify, request.args.get("hub.verify_token")
            ):
                return response.text(clean_text(request.args.get("hub.challenge")))
            return forbidden(self.name(), "verification with a wrong mode or verify token")

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            body = await read_body(request)
            if body is None:
                return too_large(self.name())
            if not valid_meta_request(self.fb_secret, body, request.headers, self.settings.fb_allow_sha1):
                return forbidden(self.name(), "POST with a missing or wrong signature")
            payload = json_object(body)
            if payload is None:
                return bad_request(self.name(), "the body is not a JSON object")
            if not await accept_all(intake, incoming_messages(payload)):
                return unavailable(self.name())  # Meta delivers again later; what was stored is not doubled
            return response.text("EVENT_RECEIVED")

        return webhook

    async def _show_activity(self, incoming: IncomingMessage) -> None:
        """'Seen' and the typing indicator while a photo is downloaded and classified."""
        if incoming.images:
            await self.graph.sender_action(incoming.sender_id, "mark_seen")
            await self.graph.sender_action(incoming.sender_id, "typing_on")
