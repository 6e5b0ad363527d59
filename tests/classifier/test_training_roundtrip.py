"""Train one tiny epoch on a handful of fixture images, export, load with the predict API and predict."""

from pathlib import Path

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


def test_train_export_load_predict(tmp_path: Path) -> None:
    data = tiny_dataset(tmp_path / "data")
    out = tmp_path / "model" / "tiny.pkl"
    report = train(
        folder_items(data), out, size=32, epochs=1, lr=1e-3, bs=6, backgrounds=[FIXTURES / "milk_carton.jpg"]
    )
    assert out.exists() and report.n_classes == 3 and report.n_items == 18
    assert (tmp_path / "model" / "tiny.top_losses.png").exists()

    predictor = Predictor(out)
    assert predictor.vocab == ["Banana", "Lemon", "Strawberry"] and predictor.size == 32
    prediction = predictor.predict((FIXTURES / "banana.jpg").read_bytes())
    assert isinstance(prediction.verdict, Verdict)
    assert {g.label for g in prediction.top} == {"Banana", "Lemon", "Strawberry"}
    assert abs(sum(g.p for g in prediction.top) - 1) < 1e-4
