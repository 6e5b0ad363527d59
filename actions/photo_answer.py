"""From one image reference to one reply: fetch, classify off the event loop, look up Wikipedia, format."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from actions.message_images import ImageRef
from actions.replies import BUSY, CANNOT_OPEN, NOT_REACHABLE, TOO_LARGE, format_reply
from actions.runtime import Runtime
from actions.services.image_fetcher import FetchError
from classifier.predict import Prediction, Verdict

log = logging.getLogger(__name__)
FETCH_REPLIES = {"too_large": TOO_LARGE, "bad_url": CANNOT_OPEN}
DECODE_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError)


@dataclass(frozen=True)
class PhotoAnswer:
    text: str
    prediction: Prediction | None = None  # None when the photo could not be fetched or decoded
    image_sha256: str | None = None


async def answer_photo(runtime: Runtime, ref: ImageRef) -> PhotoAnswer:
    """The answer for one photo; every failure becomes a friendly sentence (and a log line), never an exception."""
    async with runtime.photos_in_flight:
        try:
            data = await runtime.fetch_image(ref)
        except FetchError as error:
            log.info("image not fetched (%s): %s", error.reason, error)
            return PhotoAnswer(FETCH_REPLIES.get(error.reason, NOT_REACHABLE))
        try:
            prediction = await runtime.classify(data)
        except DECODE_ERRORS as error:
            log.info("image not decoded: %s: %s", type(error).__name__, error)
            return PhotoAnswer(CANNOT_OPEN)
        except Exception:
            log.exception("classification failed")
            return PhotoAnswer(BUSY)
    top = prediction.top[0] if prediction.top else None
    wanted = top is not None and top.wiki is not None and prediction.verdict is Verdict.FRUIT
    summary = await runtime.wikipedia.summary(top.wiki) if wanted else None
    return PhotoAnswer(format_reply(prediction, summary), prediction, hashlib.sha256(data).hexdigest())
