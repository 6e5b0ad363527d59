import numpy as np
import pytest
from PIL import Image, UnidentifiedImageError

from classifier.preprocess import open_image, to_array, to_rgb
from tests.images import encode, fixture_image

STATS = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))


@pytest.mark.parametrize("mode", ["RGBA", "L", "CMYK", "P", "LA", "I;16"])
def test_any_mode_becomes_an_rgb_square(mode: str) -> None:
    image = fixture_image().convert(mode) if mode != "I;16" else Image.new("I;16", (50, 30))
    array = to_array(image, 64, STATS)
    assert array.shape == (1, 3, 64, 64) and array.dtype == np.float32
    assert np.isfinite(array).all()


def test_transparent_pixels_become_white_like_the_fruits_360_background() -> None:
    image = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    assert to_rgb(image, 8).getpixel((4, 4)) == (255, 255, 255)


def test_exif_rotation_is_applied() -> None:
    wide = Image.new("RGB", (80, 40), "white")
    wide.paste((255, 0, 0), (0, 0, 40, 40))  # red on the left half
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    rotated = to_rgb(open_image(encode(wide, "JPEG", exif=exif, quality=95)), 40)
    red, green, blue = rotated.getpixel((20, 5))
    assert red > 200 and green < 60 and blue < 60  # the red half is now on top


def test_a_big_phone_photo_is_decoded_small_and_centre_cropped() -> None:
    photo = encode(fixture_image().resize((4000, 3000)), "JPEG", quality=80)
    image = open_image(photo)
    assert to_rgb(image, 128).size == (128, 128)
    assert max(image.size) <= 1000  # JPEG draft mode decoded it at a fraction of its size


def test_a_pdf_called_jpg_is_not_an_image() -> None:
    with pytest.raises(UnidentifiedImageError):
        open_image(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")


def test_pillow_decompression_bomb_limit_stays_on() -> None:
    bomb = encode(Image.new("1", (20000, 20000)), "PNG")  # 400 Mpx, a few kB on the wire
    with pytest.raises(Image.DecompressionBombError):
        to_rgb(open_image(bomb), 64)
