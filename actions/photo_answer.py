"""From one image reference to one reply: fetch, classify off the event loop, look up Wikipedia, format."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol, assert_never

from PIL import Image, UnidentifiedImageError

from actions.message_images import ImageRef
from actions.replies import BUSY, CANNOT_OPEN, MISSING_FILE, NOT_REACHABLE, TOO_LARGE, format_reply
from actions.services.image_fetcher import FetchError, FetchFailure
from actions.services.summary_cache import Summary
from classifier.predict import Prediction, Verdict

log = logging.getLogger(__name__)
DECODE_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError)


class SummarySource(Protocol):
    async def summary(self, title: str) -> Summary | None: ...


class PhotoServices(Protocol):
    """What answering a photo needs (actions.runtime.Runtime, or a fake in tests)."""

    @property
    def downloads(self) -> asyncio.Semaphore: ...

    @property
    def wikipedia(self) -> SummarySource: ...

    async def fetch_image(self, ref: ImageRef) -> bytes: ...

    async def classify(self, data: bytes) -> Prediction: ...


@dataclass(frozen=True)
class PhotoAnswer:
    text: str
    prediction: Prediction | None = None  # None when the photo could not be fetched or decoded
    image_sha256: str | None = None

    @property
    def guessed(self) -> bool:
        """True when the bot named a fruit (sure or not): the answer the 👍/👎 buttons can ask about."""
        return self.prediction is not None and self.prediction.verdict is not Verdict.NOT_FRUIT


def fetch_reply(failure: FetchFailure) -> str:
    """What the bot says when an image could not be fetched."""
    match failure:
        case FetchFailure.TOO_LARGE:
            return TOO_LARGE
        case FetchFailure.BAD_URL | FetchFailure.UNREADABLE_FILE:
            return CANNOT_OPEN
        case FetchFailure.MISSING_FILE:
            return MISSING_FILE
        case (
            FetchFailure.BLOCKED_ADDRESS
            | FetchFailure.HTTP_STATUS
            | FetchFailure.TIMEOUT
            | FetchFailure.NETWORK
            | FetchFailure.REDIRECTS
            | FetchFailure.UNSUPPORTED
        ):
            return NOT_REACHABLE
        case _:
            assert_never(failure)


async def answer_photo(runtime: PhotoServices, ref: ImageRef) -> PhotoAnswer:
    """The answer for one photo; every failure becomes a friendly sentence (and a log line), never an exception.

    Downloads take one of many slots (waiting on the network is cheap); the model runs in its own small pool."""
    async with runtime.downloads:
        try:
            data = await runtime.fetch_image(ref)
        except FetchError as error:
            log.info("image not fetched (%s): %s", error.reason.value, error)
            return PhotoAnswer(fetch_reply(error.reason))
    try:
        prediction = await runtime.classify(data)
    except DECODE_ERRORS as error:
        log.info("image not decoded: %s: %s", type(error).__name__, error)
        return PhotoAnswer(CANNOT_OPEN)
    except Exception:
        log.exception("classification failed")
        return PhotoAnswer(BUSY)
    top = prediction.top[0] if prediction.top else None
    wiki = top.wiki if top is not None and prediction.verdict is Verdict.FRUIT else None
    summary = await runtime.wikipedia.summary(wiki) if wiki is not None else None
    return PhotoAnswer(format_reply(prediction, summary), prediction, hashlib.sha256(data).hexdigest())
