"""Download a user's image safely: http(s) only, public hosts only, timeouts, a size cap while streaming."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from actions.services.address_guard import BlockedAddress, check_host

log = logging.getLogger(__name__)
MAX_REDIRECTS = 3


class FetchError(Exception):
    """The image could not be fetched; `reason` is a short machine-readable cause."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class ImageFetcher:
    client: httpx.AsyncClient  # created with follow_redirects=False: each hop is checked here
    max_bytes: int
    allow_private: bool = False

    async def fetch(self, url: str, shown_as: str | None = None) -> bytes:
        """The body at `url` (after at most MAX_REDIRECTS checked redirects); FetchError otherwise.

        `shown_as` replaces the URL in error messages (for URLs that hold a secret, like Telegram's).
        """
        for _ in range(MAX_REDIRECTS + 1):
            shown = shown_as or url
            await self._check_url(url, shown)
            try:
                async with self.client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchError("http_status", f"{shown} answered {response.status_code}")
                    return await self._read_capped(response)
            except httpx.TimeoutException as error:
                raise FetchError("timeout", f"{shown}: {type(error).__name__}") from error
            except httpx.InvalidURL as error:  # too long, bad characters: not an HTTPError
                raise FetchError("bad_url", f"{shown[:200]!r}: {error}") from error
            except httpx.HTTPError as error:
                raise FetchError("network", f"{shown}: {type(error).__name__}") from error
        raise FetchError("redirects", f"more than {MAX_REDIRECTS} redirects")

    async def _check_url(self, url: str, shown: str) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:  # "http://[::1", a port that is not a number
            raise FetchError("bad_url", f"not a valid URL: {shown[:200]!r}") from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url", f"not an http(s) URL: {shown[:200]!r}")
        try:
            await check_host(parts.hostname, port, self.allow_private)
        except BlockedAddress as error:
            raise FetchError("blocked_address", str(error)) from error

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError("too_large", f"declared {declared} bytes, cap {self.max_bytes}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError("too_large", f"more than {self.max_bytes} bytes")
        return bytes(body)
