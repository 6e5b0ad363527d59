"""Wikipedia's REST summary endpoint, cached on disk, never slower than its timeout."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from actions.services.summary_cache import MISSING, SummaryCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    title: str
    extract: str
    url: str | None


@dataclass(frozen=True)
class WikipediaClient:
    client: httpx.AsyncClient
    base_url: str  # e.g. https://en.wikipedia.org/api/rest_v1
    timeout_s: float
    cache: SummaryCache

    async def summary(self, title: str) -> Summary | None:
        """The page's summary; None for a missing or disambiguation page, an outage or a timeout."""
        cached = self.cache.get(title)
        if cached is None:
            try:
                cached = await asyncio.wait_for(self._fetch(title), self.timeout_s)
            except (TimeoutError, httpx.HTTPError, ValueError) as error:  # ValueError: broken JSON
                log.warning("wikipedia summary of %r unavailable: %s", title, type(error).__name__)
                return None
            if cached is not None:
                self.cache.put(title, cached)
        return None if cached in (None, MISSING) else to_summary(cached)

    async def _fetch(self, title: str) -> dict | str | None:
        """The page JSON, MISSING for no usable page, None for a server error (not cached)."""
        url = f"{self.base_url}/page/summary/{quote(title.replace(' ', '_'), safe='')}"
        response = await self.client.get(url, params={"redirect": "true"}, follow_redirects=True)
        if response.status_code == 404:
            return MISSING
        if response.status_code != 200:
            log.warning("wikipedia answered %s for %r", response.status_code, title)
            return None
        page = response.json()
        if page.get("type") == "disambiguation" or not page.get("extract"):
            return MISSING
        return page


def to_summary(page: dict) -> Summary:
    """The parts of a REST summary we show."""
    url = ((page.get("content_urls") or {}).get("desktop") or {}).get("page")
    return Summary(title=page.get("title", ""), extract=page["extract"], url=url)
