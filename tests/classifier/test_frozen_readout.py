from pathlib import Path

import numpy as np
import pytest
import torch

from benchmarks.frozen_readout import (
    Look,
    cached_look_features,
    look_features,
    readout,
    soft_targets,
    tapped_features,
    teachers_views,
)
from classifier.preprocess import open_image, to_array
from classifier.weights import imagenet_model
from tests.conftest import FIXTURES

LABELS = ["Apple Golden 1", "Apple Granny Smith", "Lemon", "not_fruit"]


def clustered(per_label: int, rng: np.random.Generator, centres: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """`per_label` photos of each of LABELS, each a noisy copy of its label's centre."""
    rows = np.repeat(centres, per_label, axis=0) + 0.05 * rng.standard_normal((len(LABELS) * per_label, 16))
    return rows, [label for label in LABELS for _ in range(per_label)]


def test_photos_that_look_like_their_class_are_named_and_an_apple_for_an_apple_is_the_right_kind() -> None:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((len(LABELS), 16))
    centres[1] = centres[0]  # the two apples look alike: either answer is the right kind
    features, labels = clustered(10, rng, centres)
    result = readout(features, labels, folds=[i % 2 for i in range(len(labels))])
    assert (result.right_kind, result.fruit, result.rejected, result.not_fruit) == (30, 30, 10, 10)


def test_each_fold_is_named_by_a_model_that_never_saw_it() -> None:
    rng = np.random.default_rng(1)
    features = rng.standard_normal((80, 64))  # nothing to learn but the photos themselves
    labels = ["Lemon" if i % 2 else "not_fruit" for i in range(80)]
    result = readout(features, labels, folds=[i // 20 for i in range(80)], c=100.0)
    assert result.right_kind + result.rejected < 60  # a model that had seen them would name all 80


def test_a_teachers_view_of_a_training_photo_comes_from_a_teacher_that_never_saw_it() -> None:
    rng = np.random.default_rng(2)
    centres = rng.standard_normal((len(LABELS), 16))
    features, labels = clustered(10, rng, centres)  # the student's features tell the classes apart
    noise = rng.standard_normal((len(labels), 256))  # a teacher that can only learn photos by heart
    folds = [i % 4 for i in range(len(labels))]
    plain = readout(features, labels, folds)
    distilled = readout(features, labels, folds, c=100.0, views=teachers_views(noise, labels, folds, 100.0), share=1.0)
    assert plain.right_kind + plain.rejected == 40
    # a teacher that had seen the training photos would hand back their labels, and the student would name all 40
    assert distilled.right_kind + distilled.rejected < 30
    in_sample = readout(
        features, labels, folds, c=100.0, views=teachers_views(noise, labels, folds, 100.0, in_sample=True), share=1.0
    )
    assert in_sample.right_kind + in_sample.rejected == 40


def test_a_warmer_teacher_gives_softer_views_of_the_same_order() -> None:
    rng = np.random.default_rng(3)
    features, labels = clustered(10, rng, rng.standard_normal((len(LABELS), 16)))
    folds = [i % 4 for i in range(len(labels))]
    cold = teachers_views(features, labels, folds, 0.2, in_sample=True)
    warm = teachers_views(features, labels, folds, 0.2, in_sample=True, temperature=4.0)
    for held, view in warm.items():
        np.testing.assert_allclose(view.sum(axis=1), 1.0)
        assert np.all(view.max(axis=1) < cold[held].max(axis=1))
        np.testing.assert_array_equal(np.argsort(view, axis=1), np.argsort(cold[held], axis=1))


def test_a_target_is_the_label_mixed_with_the_teachers_probabilities_and_small_shares_are_dropped() -> None:
    labels = np.array(["Lemon", "not_fruit", "Apple Golden 1"])  # classes in np.unique order: Apple, Lemon, not_fruit
    teacher = np.array([[0.5, 0.495, 0.005], [0.0, 0.1, 0.9], [1.0, 0.0, 0.0]])
    rows, classes, weights = soft_targets(labels, teacher, share=0.4)
    targets = {(int(r), str(c)): float(w) for r, c, w in zip(rows, classes, weights, strict=True)}
    assert targets == pytest.approx(
        {
            (0, "Apple Golden 1"): 0.2 / 0.998,
            (0, "Lemon"): 0.798 / 0.998,
            (1, "Lemon"): 0.04,
            (1, "not_fruit"): 0.96,
            (2, "Apple Golden 1"): 1.0,
        }
    )


def test_a_look_is_the_served_models_and_average_pooling_is_timms_own(tmp_path: Path) -> None:
    photos = [FIXTURES / "banana.jpg", FIXTURES / "lemon.jpg"]
    body = imagenet_model("tf_efficientnet_lite0")
    images = torch.from_numpy(
        np.concatenate([to_array(open_image(p.read_bytes()), 160, ((0.5,) * 3, (0.5,) * 3)) for p in photos])
    )
    with torch.inference_mode():
        expected = body.forward_head(body.forward_features(images), pre_logits=True).numpy()
    whole = Look.parse("tf_efficientnet_lite0:160:1.0")
    np.testing.assert_allclose(look_features(photos, whole, 160, "avg"), expected, atol=1e-5)
    centre = look_features(photos, Look("tf_efficientnet_lite0", 160, 0.6), 160, "avg")
    assert not np.allclose(centre, expected, atol=1e-2)
    gem = cached_look_features(photos, whole, 160, "gem", tmp_path)
    assert np.all(gem >= expected - 1e-5) and not np.allclose(gem, expected, atol=1e-2)  # power mean ≥ mean
    assert len(list(tmp_path.glob("readout-*.npy"))) == 1
    np.testing.assert_array_equal(cached_look_features(photos, whole, 160, "gem", tmp_path), gem)
    cut_from_160 = Look("tf_efficientnet_lite0", 160, 1.0, input=160)  # its own square wins over the command's
    np.testing.assert_array_equal(cached_look_features(photos, cut_from_160, 224, "gem", tmp_path), gem)


@pytest.mark.parametrize(
    "spec", ["tf_efficientnet_lite0:288", "tf_efficientnet_lite0:big:1.0", "tf_efficientnet_lite0:288:1.0:320:2"]
)
def test_a_look_that_is_not_arch_size_crop_and_input_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        Look.parse(spec)


def test_a_look_may_name_the_square_it_is_cut_from() -> None:
    assert Look.parse("tf_efficientnet_lite2:320:1.0:320") == Look("tf_efficientnet_lite2", 320, 1.0, 320)
    assert Look.parse("tf_efficientnet_lite0:224:0.6").input is None


def test_a_tapped_block_adds_its_pooled_output_beside_the_last_features(tmp_path: Path) -> None:
    body = imagenet_model("tf_efficientnet_lite0")
    images = torch.from_numpy(
        to_array(open_image((FIXTURES / "lemon.jpg").read_bytes()), 160, ((0.5,) * 3, (0.5,) * 3))
    )
    seen: dict[int, torch.Tensor] = {}
    hooks = [
        body.blocks[index].register_forward_hook(lambda _m, _i, out, index=index: seen.__setitem__(index, out))
        for index in (4, 5)
    ]
    with torch.inference_mode():
        last = body.forward_head(body.forward_features(images), pre_logits=True)
        tapped = tapped_features(body, images, "avg", taps=(5, 4))
    for hook in hooks:
        hook.remove()
    assert tapped.shape == (1, 1280 + 192 + 112)
    torch.testing.assert_close(tapped[:, :1280], last, atol=1e-5, rtol=0)
    torch.testing.assert_close(tapped[:, 1280:1472], seen[5].mean(dim=(2, 3)), atol=1e-5, rtol=0)
    torch.testing.assert_close(tapped[:, 1472:], seen[4].mean(dim=(2, 3)), atol=1e-5, rtol=0)
    whole = Look("tf_efficientnet_lite0", 160, 1.0)
    plain = cached_look_features([FIXTURES / "lemon.jpg"], whole, 160, "avg", tmp_path)
    with_taps = cached_look_features([FIXTURES / "lemon.jpg"], whole, 160, "avg", tmp_path, taps=(5, 4))
    assert (plain.shape, with_taps.shape) == ((1, 1280), (1, 1584))  # each its own cache entry
