import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from benchmarks import tail_finetune
from benchmarks.tail_finetune import STORED, TailSettings, TunedTail, decoded, fine_tuned, look_log_probs, studio_sample
from classifier.results import HeldOut, Scored
from classifier.weights import imagenet_model
from tests.conftest import FIXTURES

PHOTOS = [FIXTURES / name for name in ("banana.jpg", "lemon.jpg", "strawberry.jpg", "milk_carton.jpg")]
LABELS = ["Banana", "Lemon", "Strawberry", "not_fruit"]


def test_only_the_blocks_after_the_frozen_ones_and_the_classifier_learn() -> None:
    torch.manual_seed(0)
    imagenet = list(imagenet_model(tail_finetune.ARCH).state_dict().values())  # timm's order: stem, blocks, head
    settings = TailSettings(frozen_blocks=4, epochs=2, batch=1, size=96, lr=1e-2)
    model = fine_tuned(decoded(PHOTOS), torch.arange(4), 4, settings)
    batch_norm = {
        f"{name}.{tensor}"
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.BatchNorm2d)
        for tensor in ("weight", "bias", "running_mean", "running_var")
    }
    learnt = [(name, t) for name, t in model.state_dict().items() if not name.startswith("classifier.")]
    assert len(learnt) == len(imagenet) - 2  # all of timm's tensors but its classifier's weight and bias
    frozen = [(name, t, o) for (name, t), o in zip(learnt, imagenet, strict=False) if name.startswith("frozen.")]
    tuned = [(name, t, o) for (name, t), o in zip(learnt, imagenet, strict=False) if name.startswith("tuned.")]
    assert frozen and tuned
    for name, tensor, original in frozen:
        torch.testing.assert_close(tensor, original, msg=name)  # weights and BatchNorm statistics as ImageNet's
    changed = {name for name, tensor, original in tuned if not torch.equal(tensor, original)}
    assert any(name not in batch_norm for name in changed)  # the tuned blocks' convolutions learnt
    assert not changed & batch_norm  # BatchNorm keeps ImageNet's statistics and affine weights


def test_two_looks_average_the_whole_photo_and_its_centre_in_log_space() -> None:
    torch.manual_seed(0)
    model = TunedTail(3, frozen_blocks=4).eval()
    pixels = decoded(PHOTOS[:2])
    probs = look_log_probs(model, pixels, 96)["both"].exp().numpy()
    side = round(STORED * 0.6)
    offset = (STORED - side) // 2
    centre = torch.nn.functional.interpolate(
        pixels[:, :, offset : offset + side, offset : offset + side].float(), size=96, mode="bilinear", antialias=True
    )
    whole = torch.nn.functional.interpolate(pixels.float(), size=96, mode="bilinear", antialias=True)
    with torch.inference_mode():
        logs = [model(look.round().clamp(0, 255).to(torch.uint8)).log_softmax(1) for look in (whole, centre)]
    expected = ((logs[0] + logs[1]) / 2).softmax(1).numpy()
    np.testing.assert_allclose(probs, expected, atol=2e-3)
    with torch.inference_mode():
        whole_only = model(whole.round().clamp(0, 255).to(torch.uint8)).softmax(1).numpy()
    assert not np.allclose(probs, whole_only, atol=1e-3)


def test_the_studio_sample_takes_that_many_shots_of_each_class_the_vocabulary_names(tmp_path: Path) -> None:
    for label in ("Banana", "Lemon", "Cactus fruit"):
        (tmp_path / label).mkdir()
        for i in range(5):
            shutil.copy(PHOTOS[0], tmp_path / label / f"{i}.jpg")
    sample = studio_sample(tmp_path, 3, ["Banana", "Lemon", "not_fruit"])
    assert sorted({label for _, label in sample}) == ["Banana", "Lemon"]
    assert len(sample) == 6 and len(set(sample)) == 6
    assert sample == studio_sample(tmp_path, 3, ["Banana", "Lemon", "not_fruit"])


def test_every_held_out_photo_is_named_by_the_model_of_its_own_fold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studio = tmp_path / "studio"
    for label in LABELS[:3]:
        (studio / label).mkdir(parents=True)
        shutil.copy(PHOTOS[LABELS.index(label)], studio / label / "0.jpg")
    vocab = sorted(LABELS)
    photos = [Scored(path, label, [1 / len(vocab)] * len(vocab)) for path, label in zip(PHOTOS, LABELS, strict=True)]
    source, out = tmp_path / "held-out.json", tmp_path / "tuned.json"
    HeldOut(vocab, photos, folds=[0, 1, 0, 1]).write(source)
    argv = ["tail_finetune", str(source), str(out), "--studio", str(studio), "--epochs", "1", "--studio-per-class", "1"]
    monkeypatch.setattr(sys, "argv", [*argv, "--per-look"])
    tail_finetune.main()
    tuned = HeldOut.read(out)
    assert tuned.vocab == vocab
    assert sorted((s.path, s.label) for s in tuned.photos) == sorted(zip(PHOTOS, LABELS, strict=True))
    assert {s.path: f for s, f in zip(tuned.photos, tuned.folds, strict=True)} == dict(
        zip(PHOTOS, [0, 1, 0, 1], strict=True)
    )
    for s in tuned.photos:
        assert sum(s.probs) == pytest.approx(1, abs=1e-5) and max(s.probs) < 1
    whole, centre = (HeldOut.read(tmp_path / f"tuned.{name}.json") for name in ("whole", "centre"))
    for both, one, other in zip(tuned.photos, whole.photos, centre.photos, strict=True):
        assert both.path == one.path == other.path
        mean = (np.log(one.probs) + np.log(other.probs)) / 2
        np.testing.assert_allclose(both.probs, np.exp(mean) / np.exp(mean).sum(), atol=1e-5)
        assert not np.allclose(one.probs, other.probs, atol=1e-4)
