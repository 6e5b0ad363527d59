"""The shipped default model: it loads, names fixture fruit and rejects fixture non-fruit photos."""

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from skimage import data as skimage_data

from classifier.labels import load_labels
from classifier.predict import DEFAULT_MODEL, Predictor, Verdict
from tests.conftest import FIXTURES
from tests.images import encode


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    return Predictor(DEFAULT_MODEL)


def test_every_class_of_the_model_has_a_name_and_it_fits_in_the_repo(predictor: Predictor) -> None:
    assert set(predictor.vocab) <= set(load_labels())
    assert DEFAULT_MODEL.stat().st_size <= 25 * 1024 * 1024


def test_serving_the_shipped_model_needs_neither_pytorch_nor_fastai() -> None:
    """What keeps the action server's start fast and small: the ONNX file runs on ONNX Runtime alone."""
    code = (
        "import sys; from classifier.predict import DEFAULT_MODEL, Predictor; "
        "Predictor(DEFAULT_MODEL).warm_up(); print(sorted({'torch', 'fastai', 'timm'} & set(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=FIXTURES.parent.parent, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("fixture", "name"),
    [
        ("banana.jpg", "Banana"),
        ("strawberry.jpg", "Strawberry"),
        ("lemon.jpg", "Lemon"),
        # fruit that look like nothing fruity to ImageNet: its veto alone would call them not a fruit
        ("red_banana.jpg", "Red banana"),
        ("dates.jpg", "Dates"),
    ],
)
def test_fixture_fruit_are_named(predictor: Predictor, fixture: str, name: str) -> None:
    prediction = predictor.predict((FIXTURES / fixture).read_bytes())
    assert prediction.verdict is Verdict.FRUIT
    assert prediction.top[0].name == name


def skimage_photo(name: str) -> bytes:
    """A sample photo shipped inside scikit-image's wheel (BSD-3-Clause), as PNG bytes."""
    return encode(Image.fromarray(getattr(skimage_data, name)()), "PNG")


@pytest.mark.parametrize("photo", ["astronaut", "chelsea", "rocket", "page"])
def test_non_fruit_photos_are_not_fruit(predictor: Predictor, photo: str) -> None:
    assert predictor.predict(skimage_photo(photo)).verdict is Verdict.NOT_FRUIT


def test_a_milk_carton_on_a_shop_shelf_is_not_fruit(predictor: Predictor) -> None:
    assert predictor.predict((FIXTURES / "milk_carton.jpg").read_bytes()).verdict is Verdict.NOT_FRUIT


@pytest.mark.parametrize("photo", ["camera", "coffee", "horse", "grass", "gravel", "coins", "hubble_deep_field"])
def test_no_everyday_photo_is_called_a_fruit_with_confidence(predictor: Predictor, photo: str) -> None:
    """The default model calls some of these "unsure" (see the model card); none may be a confident fruit."""
    assert predictor.predict(skimage_photo(photo)).verdict is not Verdict.FRUIT


def test_the_shipped_model_has_a_model_card() -> None:
    card = Path(DEFAULT_MODEL).with_suffix(".md").read_text()
    assert "Licences" in card and "Evaluation" in card
