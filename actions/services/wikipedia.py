"""Wikipedia's REST summary endpoint, cached on disk (off the event loop), never slower than its timeout."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from actions.services.summary_cache import NO_PAGE, Cached, Summary, SummaryCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WikipediaClient:
    client: httpx.AsyncClient
    base_url: str  # e.g. https://en.wikipedia.org/api/rest_v1
    timeout_s: float
    cache: SummaryCache

    async def summary(self, title: str) -> Summary | None:
        """The page's summary; None for a missing or disambiguation page, an outage or a timeout."""
        page = await self.page(title)
        return page if isinstance(page, Summary) else None

    async def page(self, title: str) -> Cached | None:
        """The page's summary, NO_PAGE when Wikipedia has no usable page, None when it cannot be asked now (an
        outage, a timeout: not cached)."""
        cached = await asyncio.to_thread(self.cache.get, title)
        if cached is None:
            try:
                cached = await asyncio.wait_for(self._fetch(title), self.timeout_s)
            except (TimeoutError, httpx.HTTPError, ValueError) as error:  # ValueError: broken JSON
                log.warning("wikipedia summary of %r unavailable: %s", title, type(error).__name__)
                return None
            if cached is not None:
                await asyncio.to_thread(self.cache.put, title, cached)
        return cached

    async def _fetch(self, title: str) -> Cached | None:
        """The page's summary, NO_PAGE for no usable page, None for a server error (not cached)."""
        url = f"{self.base_url}/page/summary/{quote(title.replace(' ', '_'), safe='')}"
        response = await self.client.get(url, params={"redirect": "true"}, follow_redirects=True)
        if response.status_code == 404:
            return NO_PAGE
        if response.status_code != 200:
            log.warning("wikipedia answered %s for %r", response.status_code, title)
            return None
        return to_summary(response.json())


def to_summary(page: Any) -> Cached:
    """The parts of a REST summary we show; NO_PAGE for a disambiguation page or one without an extract."""
    if not isinstance(page, dict) or page.get("type") == "disambiguation" or not isinstance(page.get("extract"), str):
        return NO_PAGE
    urls = page.get("content_urls")
    desktop = urls.get("desktop") if isinstance(urls, dict) else None
    url = desktop.get("page") if isinstance(desktop, dict) else None
    title = str(page.get("title") or "")
    return Summary(title, page["extract"], url if isinstance(url, str) else None) if page["extract"] else NO_PAGE
