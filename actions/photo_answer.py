"""From one image reference to one reply: fetch, classify off the event loop, look up Wikipedia, format."""

from __future__ import annotations

import logging

from PIL import Image, UnidentifiedImageError

from actions.message_images import ImageRef
from actions.replies import BUSY, CANNOT_OPEN, NOT_REACHABLE, TOO_LARGE, format_reply
from actions.runtime import Runtime
from actions.services.image_fetcher import FetchError
from classifier.predict import Verdict

log = logging.getLogger(__name__)
FETCH_REPLIES = {"too_large": TOO_LARGE, "bad_url": CANNOT_OPEN}


async def answer_photo(runtime: Runtime, ref: ImageRef) -> str:
    """The reply for one photo; every failure becomes a friendly sentence (and a log line), never an exception."""
    async with runtime.photos_in_flight:
        try:
            data = await runtime.fetch_image(ref)
        except FetchError as error:
            log.info("image not fetched (%s): %s", error.reason, error)
            return FETCH_REPLIES.get(error.reason, NOT_REACHABLE)
        try:
            prediction = await runtime.classify(data)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
            log.info("image not decoded: %s: %s", type(error).__name__, error)
            return CANNOT_OPEN
        except Exception:
            log.exception("classification failed")
            return BUSY
    top = prediction.top[0] if prediction.top else None
    summary = (
        await runtime.wikipedia.summary(top.wiki) if top and top.wiki and prediction.verdict is Verdict.FRUIT else None
    )
    return format_reply(prediction, summary)
