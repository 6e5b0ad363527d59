"""Train one tiny epoch on a handful of fixture images, export, load with the predict API and predict."""

from pathlib import Path

import pytest
from PIL import Image, ImageOps
from torch import nn

from classifier.__main__ import main
from classifier.data import folder_items
from classifier.predict import Predictor, Verdict
from classifier.train import train
from tests.conftest import FIXTURES

TINY_CLASSES = {"Banana": "banana", "Lemon": "lemon", "Strawberry": "strawberry", "not_fruit": "milk_carton"}


def tiny_dataset(root: Path) -> Path:
    """Four classes (three fruit and the reject class), six variants (flips, rotations) of one fixture each."""
    for label, fixture in TINY_CLASSES.items():
        folder = root / label
        folder.mkdir(parents=True)
        image = Image.open(FIXTURES / f"{fixture}.jpg")
        for i, variant in enumerate(
            [image, ImageOps.mirror(image), ImageOps.flip(image), *(image.rotate(a) for a in (90, 180, 270))]
        ):
            variant.save(folder / f"{i}.jpg")
    return root


@pytest.mark.parametrize(
    ("frozen_passes", "extra_sizes"),
    [(0, []), (2, []), (2, [24])],
    ids=["fine_tune", "frozen body", "frozen body at two sizes"],
)
def test_train_export_load_predict(tmp_path: Path, frozen_passes: int, extra_sizes: list[int]) -> None:
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
        extra_sizes=extra_sizes,
        item_weights={item: 3.0 for item in items if item[1] == "Lemon"},
    )
    assert out.exists() and report.n_classes == 4 and report.n_items == 24 and report.lr > 0
    assert {p.name for p in report.plots} == {"tiny.lr_find.png", "tiny.top_losses.png"}
    written = ["tiny.lr_find.png", "tiny.onnx", "tiny.pkl", "tiny.top_losses.png"]
    assert sorted(p.name for p in out.parent.iterdir()) == written and report.served == out.with_suffix(".onnx")

    predictor = Predictor(out)
    assert predictor.vocab == sorted(TINY_CLASSES) and predictor.size == 32
    # the frozen-body recipe: a head per input size and the ImageNet veto on the not-a-fruit class (classifier/veto.py)
    module = predictor.model.module
    if frozen_passes:
        assert module.sizes == [32, *extra_sizes] and len(module.heads) == len(module.sizes)
        assert module.veto is not None and module.not_fruit == predictor.vocab.index("not_fruit")
        # average pooling only: the pooling the body's ImageNet head was trained with, as the veto sees it
        assert all(isinstance(head[0], nn.AdaptiveAvgPool2d) for head in module.heads)
    prediction = predictor.predict((FIXTURES / "banana.jpg").read_bytes())
    assert isinstance(prediction.verdict, Verdict)
    assert {g.label for g in prediction.top} == {"Banana", "Lemon", "Strawberry"}
    assert 0 < sum(g.p for g in prediction.top) <= 1 + 1e-6

    served = Predictor(report.served)
    assert (served.vocab, served.size, served.stats) == (predictor.vocab, predictor.size, predictor.stats)
    assert served.model.sizes == predictor.model.sizes == [32, *extra_sizes]
    for fixture in TINY_CLASSES.values():
        image = (FIXTURES / f"{fixture}.jpg").read_bytes()
        assert served.probabilities(image) == pytest.approx(predictor.probabilities(image), abs=2e-3)
    # float16 weights on disk: the ONNX file is about half of fastai's export
    assert report.served.stat().st_size < 0.6 * out.stat().st_size


def test_the_train_command_passes_its_options_through_and_writes_a_model_card(tmp_path: Path) -> None:
    data = tiny_dataset(tmp_path / "data")
    backgrounds = tmp_path / "shelves"
    backgrounds.mkdir()
    Image.open(FIXTURES / "milk_carton.jpg").save(backgrounds / "shelf.jpg")
    out = tmp_path / "model" / "cli.pkl"
    args = ["train", "--data", str(data), "--size", "32", "--epochs", "1", "--bs", "6", "--frozen-passes", "2"]
    assert main([*args, "--extra-sizes", "24", "--backgrounds", str(backgrounds), "--out", str(out)]) == 0
    card = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "frozen pretrained body" in card and "2 pass(es)" in card and "also looked at 24×24 px" in card
    assert "`cli.pkl`: fastai's `export`" in card and "`cli.onnx`: the same network for ONNX Runtime" in card
    assert "pasted on 1 shop photos" in card and "24 images, 4 classes" in card
