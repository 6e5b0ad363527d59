"""Training augmentation: paste white-background Fruits-360 fruit onto a real photo (a shop shelf, clothes on a bed),
as people photograph fruit: one or a heap of them, at a random scale and place, lit by the photo's light (the
fruit takes on the background's colour cast and brightness) and casting a soft shadow on it."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from fastai.vision.all import PILImage, RandTransform
from PIL import Image, ImageChops, ImageFilter

WHITE = 235  # a pixel brighter than this in every channel is Fruits-360's background
HEAP = 0.6  # how often a photo gets a heap of 2-6 fruit rather than one


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


def lit_like(fruit: Image.Image, background: Image.Image, rng: random.Random) -> Image.Image:
    """`fruit` under `background`'s light: part of its colour cast (each channel's mean over the grey mean) and
    part of the way from the studio's brightness to the photo's."""
    light = np.asarray(background.convert("RGB"), dtype=np.float32).reshape(-1, 3).mean(axis=0) + 1.0
    cast = (light / light.mean()) ** rng.uniform(0.3, 0.8)
    brightness = (light.mean() / 160.0) ** rng.uniform(0.0, 0.5)  # Fruits-360's fruit average about 160
    pixels = np.asarray(fruit.convert("RGB"), dtype=np.float32) * cast * brightness
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def paste_one(scene: Image.Image, fruit: Image.Image, mask: Image.Image, target: int, rng: random.Random) -> None:
    """One copy of `fruit` (turned, maybe mirrored, `target` px wide) onto `scene` at a random place, its shadow
    (the mask blurred, shifted down and to one side) darkening the scene first."""
    angle, mirror = rng.uniform(0, 360), rng.random() < 0.5
    copy, alpha = fruit.resize((target, target), Image.Resampling.BILINEAR), mask.resize((target, target))
    if mirror:
        copy, alpha = copy.transpose(Image.Transpose.FLIP_LEFT_RIGHT), alpha.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    copy, alpha = copy.rotate(angle, Image.Resampling.BILINEAR), alpha.rotate(angle, Image.Resampling.BILINEAR)
    side = scene.width
    x, y = rng.randint(-target // 4, side - 3 * target // 4), rng.randint(-target // 4, side - 3 * target // 4)
    strength = rng.uniform(0.35, 0.65)
    shadow = alpha.filter(ImageFilter.GaussianBlur(max(1, target // 12))).point(lambda a: int(a * strength))
    shift = max(1, target // 14)
    darkened = ImageChops.multiply(scene, Image.new("RGB", scene.size, (90, 90, 90)))
    scene.paste(darkened, (0, 0), place(shadow, scene.size, (x + rng.randint(-shift, shift), y + shift)))
    scene.paste(copy, (x, y), alpha)


def place(layer: Image.Image, size: tuple[int, int], at: tuple[int, int]) -> Image.Image:
    """`layer` (a mask) on an empty mask of `size` with its corner at `at` (parts outside are cut off)."""
    canvas = Image.new("L", size, 0)
    canvas.paste(layer, at)
    return canvas


def paste(fruit: Image.Image, background: Image.Image, rng: random.Random) -> Image.Image:
    """A random square of `background` with `fruit` on it: alone at 35-90 % of the square's side, or a heap of
    2-6 copies at 20-50 % each."""
    width, height = background.size
    side = min(width, height)
    left, top = rng.randint(0, width - side), rng.randint(0, height - side)
    scene = background.convert("RGB").crop((left, top, left + side, top + side))
    lit, mask = lit_like(fruit, scene, rng), fruit_mask(fruit)
    heap = rng.random() < HEAP
    for _ in range(rng.randint(2, 6) if heap else 1):
        scale = rng.uniform(0.2, 0.5) if heap else rng.uniform(0.35, 0.9)
        paste_one(scene, lit, mask, max(8, int(side * scale)), rng)
    return scene


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
