"""What our webhooks share over HTTP: a body read with a size cap (413 unread past it), and the answers.

Routes that use `read_body` are declared with `stream=True`, so Sanic hands the body over in chunks instead
of buffering it whole first.
"""

from __future__ import annotations

import logging

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.boundary import MAX_BODY_BYTES

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
