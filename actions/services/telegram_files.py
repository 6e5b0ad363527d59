"""Telegram photos by file_id: getFile, then a capped download, with the bot token from our own environment.

The token is part of Telegram's URLs, so no URL of this module ever reaches a log line or an error message.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from actions.services.image_fetcher import FetchError, FetchFailure, ImageFetcher


@dataclass(frozen=True)
class TelegramFiles:
    client: httpx.AsyncClient
    api_url: str  # e.g. https://api.telegram.org
    token: str | None
    fetcher: ImageFetcher

    async def fetch(self, file_id: str) -> bytes:
        """The bytes of a Telegram file; FetchError when it can't be had."""
        if not self.token:
            raise FetchError(
                FetchFailure.UNSUPPORTED, "a Telegram photo, but TELEGRAM_TOKEN is not set for the action server"
            )
        try:
            response = await self.client.get(f"{self.api_url}/bot{self.token}/getFile", params={"file_id": file_id})
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise FetchError(FetchFailure.NETWORK, f"telegram getFile: {type(error).__name__}") from error
        file_path = (answer.get("result") or {}).get("file_path") if isinstance(answer, dict) else None
        if not file_path:
            detail = answer.get("description") if isinstance(answer, dict) else None
            raise FetchError(FetchFailure.HTTP_STATUS, f"telegram getFile answered {response.status_code}: {detail}")
        url = f"{self.api_url}/file/bot{self.token}/{file_path}"
        return await self.fetcher.fetch(url, shown_as=f"telegram file {file_path}")
