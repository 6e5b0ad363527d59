"""Outbound HTTP for the channels: an aiohttp POST with timeouts, and bounded retries with backoff on 5xx, 429
and timeouts only. Any 2xx (or 3xx) is "sent", whatever its body: re-POSTing it would send the user the same
message twice."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_DELAY_S = 30.0


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
    """POST `body`: the JSON object answered ({} for any other body), or None after logging the final error
    (the URL and params, which may hold secrets, are never logged)."""
    for attempt in range(1, attempts + 1):
        retry_after = ""
        try:
            async with session.post(url, json=body, params=params) as response:
                text = await response.text(errors="replace")
                if response.status < 400:
                    return as_object(text)
                status, detail = response.status, error_detail(text)
                retry_after = response.headers.get("Retry-After", "")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            status, detail = None, f"{type(exc).__name__}: {exc}"
        if status is not None and status not in RETRY_STATUSES:
            log.error("%s failed: HTTP %s %s", what, status, detail)
            return None
        if attempt == attempts:
            log.error("%s failed after %d attempts: HTTP %s %s", what, attempts, status, detail)
            return None
        delay = min(float(retry_after) if retry_after.isdigit() else backoff_s * 2 ** (attempt - 1), MAX_DELAY_S)
        log.warning("%s: HTTP %s, retrying in %.1f s", what, status, delay)
        await asyncio.sleep(delay)
    return None


def as_object(text: str) -> dict[str, Any]:
    """A response body as a JSON object; {} when it is empty, not JSON or not an object."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def error_detail(text: str) -> str:
    """What an error response says (Meta's "error", Telegram's "description"), shortened for the log."""
    found = as_object(text)
    return str(found.get("error") or found.get("description") or text)[:300]
