"""Outbound HTTP for the channels: an aiohttp POST with timeouts and retries with backoff on 5xx and 429."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}


async def post_json(
    session: aiohttp.ClientSession,
    url: str,
    body: dict[str, Any],
    *,
    params: dict[str, str] | None = None,
    attempts: int = 4,
    backoff_s: float = 0.5,
    what: str = "request",
) -> dict[str, Any] | None:
    """POST `body`; the JSON answer, or None after logging the final error (the secret params are never logged)."""
    for attempt in range(1, attempts + 1):
        try:
            async with session.post(url, json=body, params=params) as response:
                data = await response.json(content_type=None) if response.content_length != 0 else {}
                if response.status < 400:
                    return data if isinstance(data, dict) else {}
                detail = (data.get("error") or data.get("description")) if isinstance(data, dict) else data
                retry_after = response.headers.get("Retry-After", "")
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            status, detail, retry_after = None, f"{type(exc).__name__}: {exc}", ""
        if status is not None and status not in RETRY_STATUSES:
            log.error("%s failed: HTTP %s %s", what, status, detail)
            return None
        if attempt == attempts:
            log.error("%s failed after %d attempts: HTTP %s %s", what, attempts, status, detail)
            return None
        delay = float(retry_after) if retry_after.isdigit() else backoff_s * 2 ** (attempt - 1)
        log.warning("%s: HTTP %s, retrying in %.1f s", what, status, delay)
        await asyncio.sleep(min(delay, 30.0))
    return None
