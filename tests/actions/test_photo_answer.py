"""answer_photo with fake services: each way a photo can fail becomes its own sentence, and the summary is looked
up only for a sure fruit."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field

import pytest
from PIL import UnidentifiedImageError

from actions.message_images import ImageRef
from actions.photo_answer import answer_photo, fetch_reply
from actions.replies import BUSY, CANNOT_OPEN, MISSING_FILE, NOT_A_FRUIT, NOT_REACHABLE, TOO_LARGE
from actions.services.image_fetcher import FetchError, FetchFailure
from actions.services.summary_cache import Summary
from classifier.predict import Guess, Prediction, Verdict

BANANA = Guess("Banana", "Banana", 0.97, "Banana")
LEMON = Guess("Lemon", "Lemon", 0.3, "Lemon")


@dataclass
class FakeWikipedia:
    asked: list[str] = field(default_factory=list)

    async def summary(self, title: str) -> Summary | None:
        self.asked.append(title)
        return Summary(title, f"All about {title}.", None)


@dataclass
class FakeServices:
    """Serves b"photo" (or raises `fetch_error`); classifies it as `prediction` (or raises `classify_error`)."""

    prediction: Prediction | None = None
    fetch_error: FetchError | None = None
    classify_error: Exception | None = None
    downloads: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    wikipedia: FakeWikipedia = field(default_factory=FakeWikipedia)

    async def fetch_image(self, ref: ImageRef) -> bytes:
        if self.fetch_error is not None:
            raise self.fetch_error
        return b"photo"

    async def classify(self, data: bytes) -> Prediction:
        if self.classify_error is not None:
            raise self.classify_error
        assert self.prediction is not None
        return self.prediction


REF = ImageRef(url="https://cdn.example/a.jpg")


async def test_a_sure_fruit_gets_its_summary_and_the_photo_hash() -> None:
    services = FakeServices(Prediction(Verdict.FRUIT, (BANANA,)))
    answer = await answer_photo(services, REF)
    assert answer.text.startswith("Banana (97 %)\n\nAll about Banana.") and answer.guessed
    assert answer.image_sha256 == hashlib.sha256(b"photo").hexdigest() and services.wikipedia.asked == ["Banana"]


@pytest.mark.parametrize("verdict", [Verdict.UNSURE, Verdict.NOT_FRUIT])
async def test_no_summary_is_looked_up_unless_the_bot_is_sure(verdict: Verdict) -> None:
    services = FakeServices(Prediction(verdict, (LEMON, BANANA)))
    answer = await answer_photo(services, REF)
    assert services.wikipedia.asked == []
    assert answer.guessed == (verdict is Verdict.UNSURE)
    assert (answer.text == NOT_A_FRUIT) == (verdict is Verdict.NOT_FRUIT)


@pytest.mark.parametrize("failure", list(FetchFailure))
async def test_every_fetch_failure_has_a_reply(failure: FetchFailure) -> None:
    answer = await answer_photo(FakeServices(fetch_error=FetchError(failure, "detail")), REF)
    assert answer.text == fetch_reply(failure) and answer.prediction is None and not answer.guessed
    assert answer.text in (TOO_LARGE, CANNOT_OPEN, NOT_REACHABLE, MISSING_FILE)


@pytest.mark.parametrize(
    ("error", "reply"),
    [(UnidentifiedImageError("pdf"), CANNOT_OPEN), (OSError("truncated"), CANNOT_OPEN), (RuntimeError("x"), BUSY)],
)
async def test_a_photo_that_cannot_be_classified_gets_a_reply(error: Exception, reply: str) -> None:
    answer = await answer_photo(FakeServices(classify_error=error), REF)
    assert answer.text == reply and answer.prediction is None
