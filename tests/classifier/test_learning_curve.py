import numpy as np
import pytest

from benchmarks.frozen_readout import Readout, readout
from benchmarks.learning_curve import Point, learning_curve, per_doubling

LABELS = ["Apple Golden 1", "Lemon", "Orange", "not_fruit"]


def test_the_curve_ends_at_the_readout_on_all_the_other_folds_and_each_model_sees_m_folds() -> None:
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((len(LABELS), 16))
    features = np.repeat(centres, 20, axis=0) + 0.8 * rng.standard_normal((len(LABELS) * 20, 16))
    labels = [label for label in LABELS for _ in range(20)]
    folds = [i % 5 for i in range(len(labels))]  # 16 photos a fold
    curve = learning_curve(features, labels, folds)
    assert [(p.folds, p.photos) for p in curve] == [(1, 16.0), (2, 32.0), (3, 48.0), (4, 64.0)]
    assert curve[-1].named == readout(features, labels, folds)
    # every held-out fold is named once for each choice of m of the other four: 4, 6, 4 and 1 times
    assert [p.named.fruit + p.named.not_fruit for p in curve] == [80 * 4, 80 * 6, 80 * 4, 80]


def test_a_fold_is_never_named_by_a_model_that_saw_it() -> None:
    rng = np.random.default_rng(1)
    features = rng.standard_normal((80, 64))  # nothing to learn but the photos themselves
    labels = ["Lemon" if i % 2 else "not_fruit" for i in range(80)]
    for point in learning_curve(features, labels, folds=[i // 20 for i in range(80)], c=100.0):
        named = point.named
        # a model that had seen them would name them all
        assert named.right_kind + named.rejected < 0.75 * (named.fruit + named.not_fruit)


def test_the_gain_per_doubling_runs_from_half_the_folds_to_all() -> None:
    curve = [
        Point(1, 500.0, Readout(60, 100, 0, 0)),
        Point(2, 1000.0, Readout(70, 100, 0, 0)),
        Point(3, 1500.0, Readout(74, 100, 0, 0)),
        Point(4, 2000.0, Readout(76, 100, 0, 0)),
    ]
    assert per_doubling(curve) == pytest.approx(6.0)
    assert per_doubling(curve[:3]) == pytest.approx(100 * (0.74 - 0.70) / np.log2(1.5))
