"""Training augmentation: paste a white-background Fruits-360 fruit onto a real photo (a shop shelf, a texture),
at a random scale and position, so that the model learns fruit in the settings people photograph it in."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from fastai.vision.all import PILImage, RandTransform
from PIL import Image, ImageFilter

WHITE = 235  # a pixel brighter than this in every channel is Fruits-360's background


def has_white_background(image: Image.Image) -> bool:
    """True when all four corners are near-white (a Fruits-360 studio shot, not a real photo)."""
    pixels = np.asarray(image.convert("RGB"))
    corners = pixels[[0, 0, -1, -1], [0, -1, 0, -1]]
    return bool((corners > WHITE).all())


def fruit_mask(fruit: Image.Image) -> Image.Image:
    """An alpha mask of the non-white pixels, eroded (no white halo) and blurred so the pasted edge is soft."""
    pixels = np.asarray(fruit.convert("RGB"))
    mask = (pixels.min(axis=2) < WHITE).astype(np.uint8) * 255
    return Image.fromarray(mask, "L").filter(ImageFilter.MinFilter(5)).filter(ImageFilter.GaussianBlur(1))


def paste(fruit: Image.Image, background: Image.Image, rng: random.Random) -> Image.Image:
    """`fruit` scaled to 35-90 % of the background's shorter side, at a random position."""
    side = min(background.size)
    background = background.convert("RGB").crop((0, 0, side, side))
    target = max(8, int(side * rng.uniform(0.35, 0.9)))
    fruit = fruit.convert("RGB").resize((target, target), Image.Resampling.BILINEAR)
    x, y = rng.randint(0, side - target), rng.randint(0, side - target)
    background.paste(fruit, (x, y), fruit_mask(fruit))
    return background


class PasteOnBackground(RandTransform):
    """With probability `p`, on training items only: a white-background image goes onto a random background."""

    split_idx, order = 0, 0

    def __init__(self, backgrounds: list[Path], p: float = 0.5) -> None:
        super().__init__(p=p)
        self.backgrounds = [str(path) for path in backgrounds]
        self.rng = random.Random(0)

    def encodes(self, image: PILImage) -> PILImage:
        if not self.backgrounds or not has_white_background(image):
            return image
        with Image.open(self.rng.choice(self.backgrounds)) as background:
            return PILImage(paste(image, background, self.rng))
