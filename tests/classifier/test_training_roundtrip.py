"""Train tiny models on fixture images (the frozen-body recipe and fine_tune), export, load with the predict API,
and cross-validate; check that what was learnt is what the served ONNX file computes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import onnx
import pytest
from PIL import Image, ImageOps

from classifier.__main__ import main
from classifier.config import VerdictRule
from classifier.items import TrainingSet, folder_items, grocery_items, not_fruit_items
from classifier.multiscale import ImageNetInputs, MultiScale
from classifier.predict import Predictor, Verdict
from classifier.results import HeldOut
from classifier.train import train
from tests.conftest import FIXTURES

FRUIT = {"Banana": "banana", "Lemon": "lemon", "Strawberry": "strawberry"}
SHOP = ["Banana", "Lemon"]  # Grocery Store folders that classifier/grocery_map.yaml maps onto these classes


def variants(image: Image.Image) -> list[Image.Image]:
    return [image, ImageOps.mirror(image), ImageOps.flip(image), *(image.rotate(a) for a in (90, 180, 270))]


def save_variants(fixture: str, folder: Path, shape: tuple[int, int] | None = None) -> None:
    folder.mkdir(parents=True)
    for i, image in enumerate(variants(Image.open(FIXTURES / f"{fixture}.jpg"))):
        (image.resize(shape) if shape else image).save(folder / f"{folder.name}_{i:03d}.jpg")


def tiny_training_set(root: Path) -> TrainingSet:
    """Three fruit as six "studio" variants of one fixture each; banana and lemon also as six smaller "shop"
    photos in the Grocery Store layout; six cartons as the everyday photos of the reject class."""
    for label, fixture in FRUIT.items():
        save_variants(fixture, root / "studio" / label)
    for label in SHOP:
        save_variants(FRUIT[label], root / "shop" / "Fruit" / label, (80, 60))
    save_variants("milk_carton", root / "everyday" / "cartons")
    return TrainingSet(folder_items(root / "studio"), grocery_items(root / "shop"), not_fruit_items(root / "everyday"))


@dataclass
class Trained:
    out: Path  # fastai's export; the ONNX file is beside it
    crossval: dict  # the crossval command's JSON report
    crossval_args: list[str]  # the crossval command, which computed the feature bank
    held_out: Path  # its held-out predictions


RECIPE_ARGS = [
    "--sizes",
    "32",
    "24",
    "--crops",
    "1",
    "0.75",
    "--tuned-size",
    "24",
    "--passes",
    "2",
    "--multi-size-passes",
    "1",
]
RECIPE_ARGS += ["--head-epochs", "15", "--lr", "0.01", "--tail-epochs", "1"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    """`crossval` then `train --calibration`, as `make train-classifier` runs them, on the tiny training set."""
    root = tmp_path_factory.mktemp("tiny")
    tiny_training_set(root / "data")
    data = ["--data", str(root / "data/studio"), "--grocery", str(root / "data/shop")]
    data += ["--not-fruit", str(root / "data/everyday"), "--cache", str(root / "cache")]
    data += ["--backgrounds", str(root / "data/everyday")]  # part of the bank's key: both must pass it on
    report, out = root / "crossval.json", root / "model" / "tiny.pkl"
    held_out = root / "held-out.json"
    crossval = ["crossval", *data, *RECIPE_ARGS, "--folds", "2", "--json", str(report), "--held-out", str(held_out)]
    assert main(crossval) == 0
    saved = json.loads(held_out.read_text())
    assert len(saved["photos"]) == 18 and len(saved["folds"]) == 18 and sorted(set(saved["folds"])) == [0, 1]
    assert main(["train", *data, *RECIPE_ARGS, "--calibration", str(report), "--out", str(out)]) == 0
    return Trained(out, json.loads(report.read_text()), crossval, held_out)


def test_the_frozen_recipe_exports_every_part_of_the_model(trained: Trained) -> None:
    out = trained.out
    written = ["tiny.lr_find.png", "tiny.md", "tiny.onnx", "tiny.pkl", "tiny.top_losses.png"]
    assert sorted(p.name for p in out.parent.iterdir()) == written
    module = Predictor(out).model.module
    assert isinstance(module, MultiScale) and module.sizes == [32, 24] and len(module.heads) == 2
    assert module.crops == [1.0, 0.75]  # the 24 px look: the photo's centre
    assert module.tuned is not None and module.tuned_look == 1 and module.tuned_weight == 0.4
    assert module.veto is not None and module.not_fruit == ["Banana", "Lemon", "Strawberry", "not_fruit"].index(
        "not_fruit"
    )
    # the tuned tail is a copy: fine-tuning it left the frozen body's blocks as they were
    assert module.tuned.back is not module.back and module.tuned.back[0] is not module.back[0]


def test_it_learnt_its_training_photos_and_the_onnx_file_computes_the_same(trained: Trained) -> None:
    out = trained.out
    pytorch, served = Predictor(out), Predictor(out.with_suffix(".onnx"))
    assert (served.vocab, served.size, served.stats, served.model.sizes, served.model.crops) == (
        pytorch.vocab,
        pytorch.size,
        pytorch.stats,
        [32, 24],
        [1.0, 0.75],
    )
    for label, fixture in {**FRUIT, "not_fruit": "milk_carton"}.items():
        image = (FIXTURES / f"{fixture}.jpg").read_bytes()
        probs = served.probabilities(image)
        assert served.vocab[max(range(4), key=probs.__getitem__)] == label  # a model that learnt nothing fails
        assert probs == pytest.approx(pytorch.probabilities(image), abs=2e-3)
    assert out.with_suffix(".onnx").stat().st_size < 0.6 * out.stat().st_size  # float16 weights on disk


def test_heads_with_imagenet_inputs_read_the_vetos_imagenet_head_and_the_onnx_file_computes_the_same(
    trained: Trained, tmp_path: Path
) -> None:
    args = trained.crossval_args
    data = args[1 : args.index("--folds")]  # the crossval's data, cache and recipe: its feature bank
    out = tmp_path / "inputs.pkl"
    assert main(["train", *data, "--imagenet-inputs", "--out", str(out)]) == 0
    pytorch, served = Predictor(out), Predictor(out.with_suffix(".onnx"))
    module = pytorch.model.module
    assert module.veto is not None and len(module.heads) == 2
    assert all(
        isinstance(head[0], ImageNetInputs) and head[0].imagenet is module.veto.imagenet for head in module.heads
    )
    imagenet_weights = [
        t for t in onnx.load(out.with_suffix(".onnx")).graph.initializer if list(t.dims) == [1000, 1280]
    ]
    assert len(imagenet_weights) == 1  # shared by both heads and the veto, stored once
    for fixture in [*FRUIT.values(), "milk_carton"]:
        image = (FIXTURES / f"{fixture}.jpg").read_bytes()
        assert served.probabilities(image) == pytest.approx(pytorch.probabilities(image), abs=2e-3)


def test_crossval_and_train_share_the_cached_features(trained: Trained) -> None:
    assert len(list((trained.out.parent.parent / "cache").glob("features-*.pt"))) == 1


def test_a_crossval_on_cached_features_answers_as_the_one_that_computed_them(trained: Trained, tmp_path: Path) -> None:
    args = trained.crossval_args
    outputs = ["--json", str(tmp_path / "report.json"), "--held-out", str(tmp_path / "again.json")]
    again = [*args[: args.index("--json")], *outputs]
    assert main(again) == 0
    assert HeldOut.read(tmp_path / "again.json") == HeldOut.read(trained.held_out)


def test_a_learning_curve_crossval_fits_each_fold_on_fewer_sessions(trained: Trained, tmp_path: Path) -> None:
    """`--training-folds 1` of 3: each fold named by a model fitted on the real photos of the one fold after it."""
    args = trained.crossval_args
    args = [*args[: args.index("--folds")], "--folds", "3", "--training-folds", "1"]
    assert main([*args, "--json", str(tmp_path / "report.json"), "--held-out", str(tmp_path / "held.json")]) == 0
    report, folds = json.loads((tmp_path / "report.json").read_text()), HeldOut.read(tmp_path / "held.json").folds
    assert report["training_photos"] == [folds.count((f + 1) % 3) for f in range(3)] and len(folds) == 18
    assert "studio shots and 1 of the other folds (the ones after it);" in report["protocol"]
    two = HeldOut.read(trained.held_out).folds  # the default: all the other folds (of 2, the other one)
    assert trained.crossval["training_photos"] == [two.count(1), two.count(0)]


def test_crossval_holds_out_real_photos_by_look_and_calibrates(trained: Trained) -> None:
    result = trained.crossval
    assert set(result["per_source"]) == {"all real photos", "everyday", "grocery"}
    assert (result["per_source"]["grocery"]["n"], result["per_source"]["everyday"]["n_not_fruit"]) == (12, 6)
    calibration = result["calibration"]
    assert calibration["temperature"] > 0 and 0 <= calibration["ece_after"] <= 1
    assert sum(row["photos"] for row in calibration["risk_coverage"]) == 18
    assert set(result["per_class_kind"]) == set(SHOP) and all(n == 6 for _, n in result["per_class_kind"].values())


def test_train_takes_the_temperature_crossval_fitted_and_writes_the_card(trained: Trained) -> None:
    temperature = trained.crossval["calibration"]["temperature"]
    assert Predictor(trained.out).model.module.temperature == pytest.approx(temperature)
    card = trained.out.with_suffix(".md").read_text(encoding="utf-8")
    assert "32 px (the whole photo) + 24 px (its centre 75%)" in card
    assert "tuned tail" in card and f"temperature {temperature:.3f}" in card and "Evaluation protocol" in card
    assert "36 images (18 studio, 12 grocery, 6 everyday)" in card


def test_the_model_answers_by_the_verdict_rule_crossval_chose(trained: Trained, tmp_path: Path) -> None:
    chosen = VerdictRule(**trained.crossval["calibration"]["rule"])
    assert Predictor(trained.out).rule == Predictor(trained.out.with_suffix(".onnx")).rule == chosen
    assert set(trained.crossval["calibration"]["rule_check"]) >= {"confident", "confident_right", "kept"}
    assert "verdict rule (in the ONNX file): not a fruit when" in trained.out.with_suffix(".md").read_text()
    banana = (FIXTURES / "banana.jpg").read_bytes()
    verdicts = []
    for fruit_from in (0.0, 1.01):  # the same network with "it is X" from any confidence, and from none
        served = onnx.load(trained.out.with_suffix(".onnx"))
        rule = next(prop for prop in served.metadata_props if prop.key == "rule")
        rule.value = json.dumps(
            {**json.loads(rule.value), "not_fruit_from": 1.01, "fruit_below": 0.0, "fruit_from": fruit_from}
        )
        onnx.save(served, tmp_path / "ruled.onnx")
        verdicts.append(Predictor(tmp_path / "ruled.onnx").predict(banana).verdict)
    assert verdicts == [Verdict.FRUIT, Verdict.UNSURE]


def test_fine_tune_of_the_whole_network_still_trains_and_exports(tmp_path: Path) -> None:
    training = tiny_training_set(tmp_path)
    report = train(training, tmp_path / "ft" / "ft.pkl", recipe=None, size=32, epochs=1, bs=6)
    assert report.recipe is None and report.served.exists()
    assert Predictor(report.served).vocab == ["Banana", "Lemon", "Strawberry", "not_fruit"]
