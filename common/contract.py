"""The facts of the photo-in-metadata contract that both sides need (channels/contract.py writes the metadata,
actions/message_images.py reads it; tests/contract_examples.json holds the examples both are tested against)."""

from __future__ import annotations

import re

SEND_IMAGE_TRIGGER = "/send_image"  # the text of a message that is only photos: Rasa's "/intent" syntax
PHOTOS_ONLY_TRIGGER = "/unsupported_attachment"  # stickers, video, audio, files: the bot says it wants photos
MAX_IMAGES = 10  # photos taken from (and answered for) one message
MAX_URL_CHARS = 2048  # a longer image URL is no image
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)  # a URL typed as text (rasa shell) is a photo
TRAILING_PUNCTUATION = ".,;:!?)"


# a photo on this computer, typed or pasted into `rasa shell`: a path to an image file (absolute, ~/…, relative)
# or a file:// URL, in quotes when it holds spaces. Only the shell channel may have the action server read it.
QUOTED = re.compile(r"""(["'])(.+?)\1""")
IMAGE_FILE = re.compile(r"(?:file://)?.*[^\s/]\.(?:jpe?g|png|webp|gif|bmp)", re.IGNORECASE)  # spaces only in quotes
OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def local_paths_in_text(text: str) -> list[str]:
    """The local image paths (or file:// URLs) typed in a text, as typed, quotes and trailing punctuation off."""
    quoted = [m.group(2) for m in QUOTED.finditer(text)]
    rest = QUOTED.sub(" ", text).split()
    candidates = [*quoted, *(word.rstrip(TRAILING_PUNCTUATION) for word in rest)]
    paths = [
        c
        for c in candidates
        if IMAGE_FILE.fullmatch(c) and (c.lower().startswith("file://") or not OTHER_SCHEME.match(c))
    ]
    return paths[:MAX_IMAGES]


def urls_in_text(text: str) -> list[str]:
    """The http(s) URLs typed in a text, without the sentence's punctuation after them, of usable length."""
    urls = (url.rstrip(TRAILING_PUNCTUATION) for url in URL_IN_TEXT.findall(text))
    return [url for url in urls if len(url) <= MAX_URL_CHARS][:MAX_IMAGES]
