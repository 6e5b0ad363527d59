"""How the frozen looks' readout grows with the real photos it learns from: each fold of a crossval named by models
fitted on 1, 2, ... of the other folds (every choice of them, summed), so that a smaller training set lacks whole
shopping sessions, as it would with fewer visits to the shops. A curve still climbing at all the folds says that more
sessions of real photos are what the recipe lacks (models/EXPERIMENTS.md §25).

    .venv/bin/python -m benchmarks.learning_curve HELD_OUT.json [--look ARCH:SIZE:CROP[:INPUT] ...] [--c C]

HELD_OUT.json, the looks and the feature cache are `benchmarks/frozen_readout.py`'s: real photos only, no studio
shots, no veto, the most likely class.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from benchmarks.frozen_readout import (
    SERVED_LOOKS,
    Look,
    Readout,
    add_readout_arguments,
    cached_look_features,
    fitted,
    named,
)
from classifier.results import HeldOut


@dataclass(frozen=True)
class Point:
    folds: int  # training folds of each model
    photos: float  # real photos a model was fitted on, on average
    named: Readout  # summed over every held-out fold and every choice of its training folds

    @property
    def right_kind(self) -> float:
        return self.named.right_kind / self.named.fruit

    def line(self, of: int) -> str:
        return self.named.line(f"{self.folds} of {of} folds, {self.photos:.0f} photos a model")


def learning_curve(features: np.ndarray, labels: list[str], folds: list[int], c: float = 0.2) -> list[Point]:
    """For m = 1 .. k-1: each fold named by a logistic regression fitted on each choice of m of the other folds."""
    truth, fold = np.asarray(labels), np.asarray(folds)
    held_outs = np.unique(fold)
    curve = []
    for m in range(1, len(held_outs)):
        total, sizes = Readout(0, 0, 0, 0), []
        for held in held_outs:
            test = fold == held
            for chosen in combinations(held_outs[held_outs != held], m):
                train = np.isin(fold, chosen)
                total = total + named(fitted(features[train], truth[train], c).predict(features[test]), truth[test])
                sizes.append(int(train.sum()))
        curve.append(Point(m, float(np.mean(sizes)), total))
    return curve


def per_doubling(curve: list[Point]) -> float:
    """Right-kind points gained per doubling of the training photos, from half the folds to all of them."""
    half, last = next(p for p in curve if 2 * p.folds >= curve[-1].folds), curve[-1]
    return 100 * (last.right_kind - half.right_kind) / math.log2(last.photos / half.photos)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_readout_arguments(parser)
    args = parser.parse_args()
    looks = args.look or [Look.parse(spec) for spec in SERVED_LOOKS]
    held_out = HeldOut.read(args.held_out)
    photos, labels = [s.path for s in held_out.photos], [s.label for s in held_out.photos]
    features = np.concatenate([cached_look_features(photos, seen_as, args.input, "avg") for seen_as in looks], axis=1)
    curve = learning_curve(features, labels, held_out.folds, args.c)
    for point in curve:
        print(point.line(len(curve)))
    gain = per_doubling(curve)
    print(f"right kind per doubling of the real photos, from half the folds to all: {gain:+.1f} points")


if __name__ == "__main__":
    main()
