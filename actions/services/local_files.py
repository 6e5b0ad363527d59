"""A photo on this computer, named in `rasa shell` (a path, ~/…, or a file:// URL): read with the same size cap as
downloads. Only the shell channel gets here (actions/classify_image.py decides)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from actions.services.image_fetcher import FetchError, FetchFailure


def local_path(typed: str) -> Path:
    """The file a typed path or file:// URL names (~ expanded; relative to the server's working directory)."""
    if typed.lower().startswith("file://"):
        return Path(unquote(urlsplit(typed).path))
    return Path(typed).expanduser()


def read_local_photo(typed: str, max_bytes: int) -> bytes:
    """The bytes of the file; FetchError when it is missing, not a readable file, or over `max_bytes`."""
    path = local_path(typed)
    try:
        if not path.is_file():
            reason = FetchFailure.UNREADABLE_FILE if path.exists() else FetchFailure.MISSING_FILE
            raise FetchError(reason, f"{typed!r} is {'not a file' if path.exists() else 'missing'}")
        if path.stat().st_size > max_bytes:
            raise FetchError(FetchFailure.TOO_LARGE, f"{typed!r}: more than {max_bytes} bytes")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as error:  # permissions, a name too long
        raise FetchError(FetchFailure.UNREADABLE_FILE, f"{typed!r}: {type(error).__name__}") from error
    if len(data) > max_bytes:
        raise FetchError(FetchFailure.TOO_LARGE, f"{typed!r}: more than {max_bytes} bytes")
    return data
