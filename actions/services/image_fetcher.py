"""Download a user's image safely: http(s) only, public addresses only (the one checked is the one connected to),
timeouts, a size cap while streaming."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urljoin

import httpx

from actions.services.address_guard import (
    AddressPolicy,
    BlockedAddress,
    Resolver,
    checked_address,
    is_public,
    system_resolve,
)

log = logging.getLogger(__name__)
MAX_REDIRECTS = 3
DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchFailure(Enum):
    """Why an image could not be fetched (photo_answer maps each to what the bot says)."""

    BAD_URL = "bad_url"  # not an http(s) URL, or not a valid one
    BLOCKED_ADDRESS = "blocked_address"  # resolves to a private address, or does not resolve
    HTTP_STATUS = "http_status"  # answered, but not 200
    TIMEOUT = "timeout"
    NETWORK = "network"  # refused, reset, broken response
    TOO_LARGE = "too_large"  # over the size cap
    REDIRECTS = "redirects"  # too many redirects
    UNSUPPORTED = "unsupported"  # a reference we cannot fetch (a Telegram file without TELEGRAM_TOKEN)
    MISSING_FILE = "missing_file"  # a local photo (rasa shell) that is not there
    UNREADABLE_FILE = "unreadable_file"  # a local photo that is a folder, or may not be read


class FetchError(Exception):
    """The image could not be fetched: `reason` says why, the message gives the detail (never a secret)."""

    def __init__(self, reason: FetchFailure, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class ImageFetcher:
    client: httpx.AsyncClient  # created with follow_redirects=False: each hop is checked here
    max_bytes: int
    allowed: AddressPolicy = is_public  # which addresses may be connected to
    resolve: Resolver = system_resolve
    total_timeout_s: float = 10.0  # a whole download, redirects included
    per_host: int = 4  # downloads from one host at once: the others from it wait, other hosts' do not
    _hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict, repr=False)

    async def fetch(self, url: str, shown_as: str | None = None) -> bytes:
        """The body at `url` (after at most MAX_REDIRECTS checked redirects); FetchError otherwise.

        Each hop's host is resolved and checked once, and the request goes to the checked address (with the
        host's name in the Host header and for TLS). `shown_as` replaces the URL in error messages (for URLs
        that hold a secret, like Telegram's).
        """
        try:
            return await asyncio.wait_for(self._fetch(url, shown_as), self.total_timeout_s)
        except TimeoutError as error:
            raise FetchError(FetchFailure.TIMEOUT, f"{shown_as or url}: over {self.total_timeout_s:g} s") from error

    async def _fetch(self, url: str, shown_as: str | None) -> bytes:
        for _ in range(MAX_REDIRECTS + 1):
            shown = shown_as or url
            request = await self._pinned_request(url, shown)
            try:
                async with self._host_slot(request):
                    response = await self.client.send(request, stream=True)
                    try:
                        if response.is_redirect and "location" in response.headers:
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code != 200:
                            raise FetchError(FetchFailure.HTTP_STATUS, f"{shown} answered {response.status_code}")
                        return await self._read_capped(response)
                    finally:
                        await response.aclose()
            except httpx.TimeoutException as error:
                raise FetchError(FetchFailure.TIMEOUT, f"{shown}: {type(error).__name__}") from error
            except httpx.HTTPError as error:
                raise FetchError(FetchFailure.NETWORK, f"{shown}: {type(error).__name__}") from error
        raise FetchError(FetchFailure.REDIRECTS, f"more than {MAX_REDIRECTS} redirects")

    def _host_slot(self, request: httpx.Request) -> asyncio.Semaphore:
        """The semaphore of the request's host (its Host header: the name, not the pinned address)."""
        host = request.headers.get("host", "")
        return self._hosts.setdefault(host, asyncio.Semaphore(self.per_host))

    async def _pinned_request(self, url: str, shown: str) -> httpx.Request:
        """A GET of `url` sent to the address its host was checked at."""
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL as error:  # too long, bad characters, a port that is not a number
            raise FetchError(FetchFailure.BAD_URL, f"not a valid URL: {shown[:200]!r}") from error
        if parts.scheme not in ("http", "https") or not parts.host or not 0 < (parts.port or 80) < 65536:
            raise FetchError(FetchFailure.BAD_URL, f"not an http(s) URL: {shown[:200]!r}")
        host = parts.raw_host.decode("ascii")
        try:
            address = await checked_address(host, parts.port or DEFAULT_PORTS[parts.scheme], self.allowed, self.resolve)
        except BlockedAddress as error:
            raise FetchError(FetchFailure.BLOCKED_ADDRESS, str(error)) from error
        pinned = parts.copy_with(host=address)
        headers = {"Host": parts.netloc.decode("ascii")}
        return self.client.build_request("GET", pinned, headers=headers, extensions={"sni_hostname": host})

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(FetchFailure.TOO_LARGE, f"declared {declared} bytes, cap {self.max_bytes}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError(FetchFailure.TOO_LARGE, f"more than {self.max_bytes} bytes")
        return bytes(body)
