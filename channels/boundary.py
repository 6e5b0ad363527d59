"""What may cross into the bot from a webhook: a bounded JSON body, clean texts, ids of a known shape.

Every parser of ours (Messenger, Telegram, REST) takes its values through these functions, so that nothing
past the boundary holds a lone surrogate, a NUL, an endless text or an id that is not an id. Plain Python.
"""

from __future__ import annotations

import json
import re
from typing import Any

from common.contract import MAX_URL_CHARS

MAX_BODY_BYTES = 1_000_000  # a larger webhook body gets 413 unread
MAX_TEXT_CHARS = 4096  # Telegram's own limit; Messenger's is 2,000
MESSAGE_ID = re.compile(r"[\x21-\x7e]{1,256}")  # visible ASCII: Meta's mids, Telegram's update ids, uuids
SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates (a JSON "\\ud800"); valid pairs are one code point
URL = re.compile(rf"https?://[\x21-\x7e]{{1,{MAX_URL_CHARS}}}", re.IGNORECASE)  # visible ASCII, no spaces


def json_object(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object; None when it is not JSON, not UTF-8, too deep to parse, or not an object."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return value if isinstance(value, dict) else None


def clean_text(value: Any) -> str:
    """A string as the bot may store it: lone surrogates become U+FFFD, NULs go, at most MAX_TEXT_CHARS.

    Anything that is not a string is no text at all ("").
    """
    if not isinstance(value, str):
        return ""
    return SURROGATE.sub("\ufffd", value.replace("\x00", ""))[:MAX_TEXT_CHARS]


def clean_id(value: Any, shape: re.Pattern[str]) -> str | None:
    """`value` when it is a string of the channel's id `shape` (matched whole), else None."""
    return value if isinstance(value, str) and shape.fullmatch(value) else None


def clean_int_id(value: Any) -> str | None:
    """An integer id (Telegram's chat and update ids) as text; None for anything else, booleans included."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
        return str(value)
    return None


def clean_url(value: Any) -> str | None:
    """An http(s) URL of sane length, in visible ASCII (no spaces, no control characters), else None."""
    return value if isinstance(value, str) and URL.fullmatch(value) else None


def dict_at(value: Any, key: str) -> dict[str, Any]:
    """value[key] when `value` is a dict and value[key] is one too, else {} (walks any JSON without raising)."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def list_at(value: Any, key: str) -> list[Any]:
    """value[key] when `value` is a dict and value[key] is a list, else []."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, list) else []
