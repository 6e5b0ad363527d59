"""A screen for frozen bodies, looks and pooling: how well their pooled features, read out by a logistic regression
fitted on the other folds, name the real photos of a crossval's folds. Minutes per body, where a feature bank and a
crossval take half an hour (models/EXPERIMENTS.md §20); real photos only, no studio shots, no veto.

    .venv/bin/python -m benchmarks.frozen_readout HELD_OUT.json [--look ARCH:SIZE:CROP ...] [--pool avg|gem]

HELD_OUT.json: what `python -m classifier crossval --held-out` wrote; its photos, labels and folds are used, not its
probabilities. Each look sees a photo as the served model does: the photo as a square of `--input` px, its centre
`CROP` of the side at `SIZE` px. Prints each look's figures, then those of all the looks' features side by side.
Features are cached under var/classifier-cache.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import timm
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from classifier.__main__ import DEFAULT_CACHE
from classifier.evaluate import kind
from classifier.features import CPU_BATCH, bank_key
from classifier.labels import NOT_FRUIT
from classifier.multiscale import look
from classifier.preprocess import open_image, to_array
from classifier.results import HeldOut
from classifier.weights import imagenet_model

SERVED_LOOKS = ["tf_efficientnet_lite0:288:1.0", "tf_efficientnet_lite0:224:0.6"]
GEM_POWER = 3.0  # generalised mean: between average (1) and max (infinity)


@dataclass(frozen=True)
class Look:
    arch: str
    size: int
    crop: float  # of the photo's side, centred

    @classmethod
    def parse(cls, spec: str) -> Look:
        arch, size, crop = spec.split(":")
        return cls(arch, int(size), float(crop))


@dataclass
class Readout:
    right_kind: int  # fruit photos whose predicted class is of their kind (not-a-fruit counts as wrong)
    fruit: int
    rejected: int  # not-a-fruit photos predicted not-a-fruit
    not_fruit: int

    def line(self, name: str) -> str:
        return (
            f"{name}: right kind {self.right_kind}/{self.fruit} ({100 * self.right_kind / self.fruit:.1f} %), "
            f"rejected {self.rejected}/{self.not_fruit}"
        )


def pooled(feature_maps: torch.Tensor, pool: str) -> torch.Tensor:
    if pool == "gem":
        return feature_maps.clamp_min(1e-6).pow(GEM_POWER).mean(dim=(2, 3)).pow(1 / GEM_POWER)
    return feature_maps.mean(dim=(2, 3))


def look_features(photos: list[Path], seen_as: Look, input_size: int, pool: str) -> np.ndarray:
    """One row per photo: the frozen body's pooled features of the look."""
    body = imagenet_model(seen_as.arch)
    config = timm.models.get_pretrained_cfg(seen_as.arch)
    if config is None:
        raise ValueError(f"timm has no normalisation for {seen_as.arch}")
    stats = (config.mean, config.std)
    rows = []
    for start in range(0, len(photos), CPU_BATCH):
        arrays = [to_array(open_image(p.read_bytes()), input_size, stats) for p in photos[start : start + CPU_BATCH]]
        images = look(torch.from_numpy(np.concatenate(arrays)), input_size, seen_as.size, seen_as.crop)
        with torch.inference_mode():
            rows.append(pooled(body.forward_features(images), pool).numpy())
    return np.concatenate(rows)


def cached_look_features(
    photos: list[Path], seen_as: Look, input_size: int, pool: str, cache_dir: Path = DEFAULT_CACHE
) -> np.ndarray:
    settings = {"arch": seen_as.arch, "size": seen_as.size, "crop": seen_as.crop, "input": input_size, "pool": pool}
    path = cache_dir / f"readout-{bank_key(photos, settings)}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        return cached
    features = look_features(photos, seen_as, input_size, pool)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:  # a run stopped mid-write leaves no half-written cache, as `cached_bank`
        np.save(out, features)
    tmp.replace(path)
    return features


def readout(features: np.ndarray, labels: list[str], folds: list[int], c: float = 0.2) -> Readout:
    """Each fold's photos named by a logistic regression (on standardised features) fitted on the other folds."""
    truth, fold = np.asarray(labels), np.asarray(folds)
    predicted = np.empty_like(truth)
    for held in np.unique(fold):
        train, test = fold != held, fold == held
        scaler = StandardScaler().fit(features[train])
        model = LogisticRegression(C=c, max_iter=2000).fit(scaler.transform(features[train]), truth[train])
        predicted[test] = model.predict(scaler.transform(features[test]))
    fruit = truth != NOT_FRUIT
    right = sum(p != NOT_FRUIT and kind(p) == kind(t) for p, t in zip(predicted[fruit], truth[fruit], strict=True))
    return Readout(int(right), int(fruit.sum()), int(np.sum(predicted[~fruit] == NOT_FRUIT)), int((~fruit).sum()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("held_out", type=Path)
    parser.add_argument("--look", action="append", type=Look.parse, help=f"ARCH:SIZE:CROP (default {SERVED_LOOKS})")
    parser.add_argument("--input", type=int, default=288, help="px of the square photo the looks are cut from")
    parser.add_argument("--pool", choices=["avg", "gem"], default="avg")
    parser.add_argument("--c", type=float, default=0.2, help="inverse L2 strength of the logistic regression")
    args = parser.parse_args()
    looks = args.look or [Look.parse(spec) for spec in SERVED_LOOKS]
    held_out = HeldOut.read(args.held_out)
    photos, labels = [s.path for s in held_out.photos], [s.label for s in held_out.photos]
    features = [cached_look_features(photos, seen_as, args.input, args.pool) for seen_as in looks]
    for seen_as, rows in zip(looks, features, strict=True):
        name = f"{seen_as.arch} {seen_as.size} px, centre {seen_as.crop:g}, {args.pool}"
        print(readout(rows, labels, held_out.folds, args.c).line(name))
    if len(looks) > 1:
        print(readout(np.concatenate(features, axis=1), labels, held_out.folds, args.c).line("all looks"))


if __name__ == "__main__":
    main()
