"""The photo-in-metadata contract, action side: which images a user message carries.

A channel puts `{"images": [{"url": ...} | {"telegram_file_id": ...}, ...]}` into the message metadata;
`rasa shell` can't, so an http(s) URL typed as text counts too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class ImageRef:
    url: str | None = None
    telegram_file_id: str | None = None


def images_in_message(latest_message: dict[str, Any]) -> list[ImageRef]:
    """The images of a message, in order: from its metadata, else the URLs in its text."""
    metadata = latest_message.get("metadata") or {}
    images = [image_ref(entry) for entry in metadata.get("images") or [] if isinstance(entry, dict)]
    images = [ref for ref in images if ref is not None]
    if images:
        return images
    return [ImageRef(url=url.rstrip(".,;:!?)")) for url in URL_IN_TEXT.findall(latest_message.get("text") or "")]


def image_ref(entry: dict[str, Any]) -> ImageRef | None:
    """One metadata image entry, or None when it names no image."""
    url, file_id = entry.get("url"), entry.get("telegram_file_id")
    if isinstance(url, str) and url:
        return ImageRef(url=url)
    if isinstance(file_id, str) and file_id:
        return ImageRef(telegram_file_id=file_id)
    return None
