"""The photo-in-metadata contract, action side: which images a user message carries.

A channel puts `{"images": [{"url": ...} | {"telegram_file_id": ...}, ...]}` into the message metadata;
`rasa shell` can't, so an http(s) URL typed as text counts too (common/contract.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.contract import MAX_IMAGES, MAX_URL_CHARS, local_paths_in_text, urls_in_text

SHELL_CHANNEL = "cmdline"  # Rasa's name for the `rasa shell` channel: the only one that may name a local file


@dataclass(frozen=True)
class ImageRef:
    url: str | None = None
    telegram_file_id: str | None = None
    local_path: str | None = None  # as typed in rasa shell


def images_in_message(latest_message: Any, local_files: bool = False) -> list[ImageRef]:
    """The images of a message, in order (at most MAX_IMAGES): from its metadata, else the URLs in its text,
    else (only with `local_files`: the shell channel) the local photo paths in its text.

    Total: any JSON value gives a list."""
    message = latest_message if isinstance(latest_message, dict) else {}
    metadata = message.get("metadata")
    entries = metadata.get("images") if isinstance(metadata, dict) else None
    images = [ref for ref in map(image_ref, entries if isinstance(entries, list) else []) if ref is not None]
    if not images:
        text = message.get("text")
        typed = text if isinstance(text, str) else ""
        images = [ImageRef(url=url) for url in urls_in_text(typed)]
        if not images and local_files:
            images = [ImageRef(local_path=path) for path in local_paths_in_text(typed)]
    return images[:MAX_IMAGES]


def image_ref(entry: Any) -> ImageRef | None:
    """One metadata image entry, or None when it names no image."""
    url = entry.get("url") if isinstance(entry, dict) else None
    file_id = entry.get("telegram_file_id") if isinstance(entry, dict) else None
    if isinstance(url, str) and 0 < len(url) <= MAX_URL_CHARS:
        return ImageRef(url=url)
    if isinstance(file_id, str) and 0 < len(file_id) <= MAX_URL_CHARS:
        return ImageRef(telegram_file_id=file_id)
    return None
