import random

from PIL import Image

from classifier.composite import fruit_mask, has_white_background, paste
from tests.conftest import FIXTURES


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

    def reds(image: Image.Image) -> int:
        return sum(1 for r, g, b in image.convert("RGB").getdata() if r > 150 and g < 80 and b < 80)

    side = min(background.size)
    assert reds(out) > reds(background.crop((0, 0, side, side))) + 2000  # strawberry-red pixels were added
