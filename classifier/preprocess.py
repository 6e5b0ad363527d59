"""Turn any image a person sends (bytes or PIL, any mode, size or EXIF rotation) into a model tensor."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

Stats = tuple[tuple[float, ...], tuple[float, ...]]  # per-channel (mean, std) of the model's Normalize


def open_image(data: bytes | Image.Image) -> Image.Image:
    """Identify an image from its bytes (lazily: pixels are decoded in `to_rgb`) or pass a PIL image through.

    Raises PIL.UnidentifiedImageError for anything that is not an image (a PDF called .jpg), and
    Image.DecompressionBombError for images past Pillow's pixel limit, which stays on.
    """
    if isinstance(data, Image.Image):
        return data
    return Image.open(io.BytesIO(data))


def to_rgb(image: Image.Image, size: int) -> Image.Image:
    """Upright RGB square of `size` px: EXIF rotation, alpha on white, centre crop, bilinear resize."""
    if image.format == "JPEG":
        image.draft("RGB", (size * 2, size * 2))  # decode a 4000x3000 JPEG at 1/8 scale, not in full
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    image = image.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    return image.resize((size, size), Image.Resampling.BILINEAR)


def to_array(image: Image.Image, size: int, stats: Stats) -> np.ndarray:
    """A normalised 1x3xSxS float32 array, as fastai's Resize + IntToFloatTensor + Normalize give."""
    pixels = np.asarray(to_rgb(image, size), dtype=np.float32).transpose(2, 0, 1) / 255
    mean, std = (np.asarray(v, dtype=np.float32).reshape(3, 1, 1) for v in stats)
    return np.ascontiguousarray(((pixels - mean) / std)[np.newaxis])
