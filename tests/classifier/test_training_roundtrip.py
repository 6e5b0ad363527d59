"""Train one tiny epoch on a handful of fixture images, export, load with the predict API and predict."""

from pathlib import Path

import pytest
from PIL import Image, ImageOps

from classifier.data import folder_items
from classifier.predict import Predictor, Verdict
from classifier.train import train
from tests.conftest import FIXTURES


def tiny_dataset(root: Path) -> Path:
    """Three classes, six variants (flips, rotations) of one fixture each."""
    for name in ["banana", "strawberry", "lemon"]:
        folder = root / name.capitalize()
        folder.mkdir(parents=True)
        image = Image.open(FIXTURES / f"{name}.jpg")
        for i, variant in enumerate(
            [image, ImageOps.mirror(image), ImageOps.flip(image), *(image.rotate(a) for a in (90, 180, 270))]
        ):
            variant.save(folder / f"{i}.jpg")
    return root


@pytest.mark.parametrize("frozen_passes", [0, 2], ids=["fine_tune", "frozen body"])
def test_train_export_load_predict(tmp_path: Path, frozen_passes: int) -> None:
    data = tiny_dataset(tmp_path / "data")
    out = tmp_path / "model" / "tiny.pkl"
    items = folder_items(data)
    report = train(
        items,
        out,
        size=32,
        epochs=1,
        bs=6,
        lr_find_iters=5,
        backgrounds=[FIXTURES / "milk_carton.jpg"],
        frozen_passes=frozen_passes,
        item_weights={item: 3.0 for item in items if item[1] == "Lemon"},
    )
    assert out.exists() and report.n_classes == 3 and report.n_items == 18 and report.lr > 0
    assert {p.name for p in report.plots} == {"tiny.lr_find.png", "tiny.top_losses.png"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["tiny.lr_find.png", "tiny.pkl", "tiny.top_losses.png"]

    predictor = Predictor(out)
    assert predictor.vocab == ["Banana", "Lemon", "Strawberry"] and predictor.size == 32
    prediction = predictor.predict((FIXTURES / "banana.jpg").read_bytes())
    assert isinstance(prediction.verdict, Verdict)
    assert {g.label for g in prediction.top} == {"Banana", "Lemon", "Strawberry"}
    assert abs(sum(g.p for g in prediction.top) - 1) < 1e-4
