"""Read a CLI input: a local file path or an http(s) URL, as bytes."""

from __future__ import annotations

import urllib.request
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024


def read_input(source: str, timeout_s: float = 10.0) -> bytes:
    """The bytes of a file or URL (at most MAX_BYTES)."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=timeout_s) as response:  # noqa: S310 - scheme checked above
            data: bytes = response.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        return data
    return Path(source).read_bytes()
