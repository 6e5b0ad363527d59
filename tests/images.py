"""Images made on the fly for tests (formats, modes, rotations) from the committed fixtures."""

from __future__ import annotations

import io

from PIL import Image

from tests.conftest import FIXTURES


def fixture_image(name: str = "banana.jpg") -> Image.Image:
    return Image.open(FIXTURES / name)


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()
