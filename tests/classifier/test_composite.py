import random

import numpy as np
from PIL import Image
from scipy import ndimage

from classifier.composite import fruit_mask, has_white_background, lit_like, paste, paste_one
from tests.conftest import FIXTURES

GREY = (128, 128, 128)


def test_fruits_360_shots_have_a_white_background_and_real_photos_do_not() -> None:
    assert has_white_background(Image.open(FIXTURES / "strawberry.jpg"))
    assert not has_white_background(Image.open(FIXTURES / "milk_carton.jpg"))


def test_the_mask_keeps_the_fruit_and_drops_the_white() -> None:
    mask = fruit_mask(Image.open(FIXTURES / "strawberry.jpg"))
    assert mask.getpixel((0, 0)) == 0 and mask.getpixel((50, 50)) == 255


def test_the_fruit_lands_on_the_background_without_white_corners() -> None:
    fruit, background = Image.open(FIXTURES / "strawberry.jpg"), Image.open(FIXTURES / "milk_carton.jpg")
    out = paste(fruit, background, random.Random(3))
    assert out.size == (min(background.size),) * 2
    assert not has_white_background(out)
    assert fruit_pixels(out).sum() > fruit_pixels(background).sum() + 2000  # strawberry-red pixels were added


def test_the_fruit_takes_on_the_photos_light() -> None:
    fruit = Image.open(FIXTURES / "strawberry.jpg").convert("RGB")
    dim_blue = Image.new("RGB", (64, 64), (40, 60, 120))
    before = np.asarray(fruit, dtype=float).reshape(-1, 3).mean(axis=0)
    after = np.asarray(lit_like(fruit, dim_blue, random.Random(0)), dtype=float).reshape(-1, 3).mean(axis=0)
    assert after[2] / after[0] > 1.3 * before[2] / before[0]  # bluer
    assert after.mean() < before.mean()  # darker


def test_a_pasted_fruit_casts_a_shadow_beside_it() -> None:
    fruit = Image.open(FIXTURES / "strawberry.jpg").convert("RGB")
    scene = Image.new("RGB", (300, 300), GREY)
    paste_one(scene, fruit, fruit_mask(fruit), 120, random.Random(1))
    pixels = np.asarray(scene, dtype=int)
    grey_hue = (np.abs(pixels - pixels.mean(axis=2, keepdims=True)) < 4).all(axis=2)  # not the fruit
    assert (grey_hue & (pixels[..., 0] < 110)).sum() > 300  # darkened, still grey: the shadow


def test_some_photos_get_a_heap_of_fruit_and_others_one() -> None:
    fruit, background = Image.open(FIXTURES / "strawberry.jpg"), Image.new("RGB", (400, 300), GREY)
    counts = set()
    for seed in range(12):
        blobs, _ = ndimage.label(fruit_pixels(paste(fruit, background, random.Random(seed))))
        counts.add(min(int((np.bincount(blobs.ravel())[1:] >= 500).sum()), 2))  # strawberries, not specks
    assert counts == {1, 2}


def fruit_pixels(image: Image.Image) -> np.ndarray:
    """Where `image` is strawberry-red (saturated, red far above green and blue), opened to drop specks."""
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    red = (pixels[..., 0] > 90) & (pixels[..., 0] > 2 * pixels[..., 1]) & (pixels[..., 0] > 2 * pixels[..., 2])
    return ndimage.binary_opening(red, iterations=2)
