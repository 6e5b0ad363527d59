"""What our webhooks share over HTTP: a body read with a size cap (413 unread past it), and the answers.

Routes that use `read_body` are declared with `stream=True`, so Sanic hands the body over in chunks instead
of buffering it whole first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.action_server import ActionServerProbe
from channels.boundary import MAX_BODY_BYTES
from channels.contract import IncomingMessage
from channels.inbox import open_inbox
from channels.intake import Conversation, MessageIntake
from channels.settings import ChannelSettings

log = logging.getLogger(__name__)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The raw body, or None as soon as it is (or says it is) longer than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    if request.stream is None:  # a route declared without stream=True: Sanic has read the body already
        return bytes(request.body) if len(request.body) <= limit else None
    while (chunk := await request.stream.read()) is not None:
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def too_large(channel: str) -> HTTPResponse:
    log.warning("%s webhook POST refused: body over %d bytes", channel, MAX_BODY_BYTES)
    return response.text("payload too large", status=413)


def bad_request(channel: str, why: str) -> HTTPResponse:
    log.warning("%s webhook POST refused: %s", channel, why)
    return response.json({"error": why}, status=400)


def forbidden(channel: str, why: str, status: int = 403) -> HTTPResponse:
    log.warning("%s webhook refused: %s", channel, why)
    return response.text("forbidden" if status == 403 else "unauthorized", status=status)


def unavailable(channel: str) -> HTTPResponse:
    """The inbox could not store a message: no 200, so that the platform delivers it again."""
    return response.text("try again later", status=503)


def intake_for(channel: str, conversation: Conversation, settings: ChannelSettings) -> MessageIntake:
    """A channel's intake: its inbox (Redis or SQLite, from the settings) and the action server's readiness."""
    inbox = open_inbox(channel, settings.redis_url, Path(settings.inbox_db))
    ready = ActionServerProbe(settings.action_endpoint_url).ready
    return MessageIntake(channel, conversation, inbox, ready=ready, lease_s=settings.inbox_lease_s)


def add_lifecycle(webhook: Blueprint, intake: MessageIntake) -> None:
    """Start the intake's workers with the server (they take up what a previous run left), stop them with it."""

    @webhook.listener("after_server_start")
    async def start_intake(app: Sanic, loop: object) -> None:
        intake.start()

    @webhook.listener("before_server_stop")
    async def stop_intake(app: Sanic, loop: object) -> None:
        await intake.stop()


async def accept_all(intake: MessageIntake, messages: Iterable[IncomingMessage]) -> bool:
    """Store every message of a webhook POST; False (logged) when the inbox failed to store one."""
    try:
        for incoming in messages:
            await intake.accept(incoming)
    except Exception:
        log.exception("%s inbox could not store a message: the webhook is not acknowledged", intake.input_channel)
        return False
    return True
