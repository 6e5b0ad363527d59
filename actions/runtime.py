"""What the action server holds for its whole life: the model, the worker pool and the service clients."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from actions.message_images import ImageRef
from actions.services.address_guard import any_address, is_public
from actions.services.feedback_store import FeedbackStore
from actions.services.image_fetcher import FetchError, FetchFailure, ImageFetcher
from actions.services.local_files import read_local_photo
from actions.services.summary_cache import SummaryCache
from actions.services.telegram_files import TelegramFiles
from actions.services.wikipedia import WikipediaClient
from actions.settings import Settings
from classifier.predict import Prediction, Predictor

log = logging.getLogger(__name__)
USER_AGENT = "FruitBot/0.1 (+https://github.com/fruitbot)"


@dataclass
class Runtime:
    predictor: Predictor
    pool: ThreadPoolExecutor
    downloads: asyncio.Semaphore
    fetcher: ImageFetcher
    wikipedia: WikipediaClient
    feedback: FeedbackStore
    telegram: TelegramFiles
    shell_local_files: bool = False  # may rasa shell's messages name photos on this computer

    @classmethod
    def create(cls, settings: Settings, predictor: Predictor) -> Runtime:
        """The clients, pool and stores around a loaded model (inside the server's event loop)."""
        timeout = httpx.Timeout(settings.image_connect_timeout_s)  # connect, and each read: a slow host gives up
        limits = httpx.Limits(max_connections=settings.max_downloads)
        headers = {"User-Agent": USER_AGENT}
        images_client = httpx.AsyncClient(timeout=timeout, limits=limits, follow_redirects=False, headers=headers)
        allowed = any_address if settings.image_fetch_allow_private else is_public
        fetcher = ImageFetcher(
            images_client,
            settings.image_max_bytes,
            allowed,
            total_timeout_s=settings.image_timeout_s,
            per_host=settings.max_downloads_per_host,
        )
        wiki_client = httpx.AsyncClient(timeout=settings.wikipedia_timeout_s, headers=headers)
        cache = SummaryCache(settings.wikipedia_cache_path, settings.wikipedia_cache_ttl_s)
        runtime = cls(
            predictor=predictor,
            pool=ThreadPoolExecutor(max_workers=settings.classify_workers, thread_name_prefix="classify"),
            downloads=asyncio.Semaphore(settings.max_downloads),
            fetcher=fetcher,
            wikipedia=WikipediaClient(wiki_client, settings.wikipedia_url, settings.wikipedia_timeout_s, cache),
            feedback=FeedbackStore(settings.feedback_db_url),
            telegram=TelegramFiles(images_client, settings.telegram_api_url, settings.telegram_token, fetcher),
            shell_local_files=settings.shell_local_files,
        )
        sizes = "+".join(map(str, predictor.model.sizes))
        log.info("serving model %s (%d classes, %s px)", predictor.version, len(predictor.vocab), sizes)
        return runtime

    async def fetch_image(self, ref: ImageRef) -> bytes:
        """The bytes of a referenced image."""
        if ref.telegram_file_id is not None:
            return await self.telegram.fetch(ref.telegram_file_id)
        if ref.local_path is not None:
            return await asyncio.to_thread(read_local_photo, ref.local_path, self.fetcher.max_bytes)
        if ref.url is None:
            raise FetchError(FetchFailure.UNSUPPORTED, "this image reference has neither a URL nor a Telegram file id")
        return await self.fetcher.fetch(ref.url)

    async def classify(self, data: bytes) -> Prediction:
        """Run the model in the bounded worker pool, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.predictor.predict, data)

    async def aclose(self) -> None:
        """Close the HTTP clients, the worker pool and the stores (at server stop)."""
        await self.fetcher.client.aclose()
        await self.wikipedia.client.aclose()
        self.pool.shutdown(wait=False, cancel_futures=True)
        await asyncio.to_thread(self.wikipedia.cache.close)
        await asyncio.to_thread(self.feedback.engine.dispose)
