"""A screen for frozen bodies, looks and pooling: how well their pooled features, read out by a logistic regression
fitted on the other folds, name the real photos of a crossval's folds. Minutes per body, where a feature bank and a
crossval take half an hour (models/EXPERIMENTS.md §20); real photos only, no studio shots, no veto.

    .venv/bin/python -m benchmarks.frozen_readout HELD_OUT.json [--look ARCH:SIZE:CROP[:INPUT] ...] [--pool avg|gem]
        [--tap BLOCK ...] [--teacher-look ARCH:SIZE:CROP[:INPUT] ... --distil SHARE ...
         [--teacher-views in-sample] [--teacher-temperature T]]

HELD_OUT.json: what `python -m classifier crossval --held-out` wrote; its photos, labels and folds are used, not its
probabilities. Each look sees a photo as the served model does: the photo as a square of `INPUT` px (`--input` unless
given), its centre `CROP` of the side at `SIZE` px; with `--tap`, a look's features are the body's last ones and, beside
them, the pooled output of each tapped block (of `body.blocks`: earlier features, which the served graph computes
anyway). Prints each look's figures, then those of all the looks' features side by side. With teacher looks, also the
teacher's figures, and the looks' readout distilled from it: each training photo's target is its label mixed with the
teacher's probabilities (`--distil` is the teacher's share), the teacher's view of a training photo coming from a
teacher fitted on the other training folds, so that it is a view of a photo the teacher never saw, as the held-out
fold's are (`--teacher-views in-sample`: from the teacher fitted on all the training folds, as in Hinton's distillation,
usually with `--teacher-temperature` above 1). Features are cached under var/classifier-cache.
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
from timm.models.efficientnet import EfficientNet

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
DISTIL_FLOOR = 0.01  # a target's class shares below this are dropped (each kept share is one weighted row)


@dataclass(frozen=True)
class Look:
    arch: str
    size: int
    crop: float  # of the photo's side, centred
    input: int | None = None  # px of the square the look is cut from; None: the command's `--input`

    @classmethod
    def parse(cls, spec: str) -> Look:
        arch, size, crop, *cut_from = spec.split(":")
        if len(cut_from) > 1:
            raise ValueError(f"not ARCH:SIZE:CROP[:INPUT]: {spec}")
        return cls(arch, int(size), float(crop), int(cut_from[0]) if cut_from else None)

    def square(self, default: int) -> int:
        """px of the square this look is cut from: its own, else the command's `default`."""
        return self.input or default


@dataclass
class Readout:
    right_kind: int  # fruit photos whose predicted class is of their kind (not-a-fruit counts as wrong)
    fruit: int
    rejected: int  # not-a-fruit photos predicted not-a-fruit
    not_fruit: int

    def __add__(self, other: Readout) -> Readout:
        return Readout(
            self.right_kind + other.right_kind,
            self.fruit + other.fruit,
            self.rejected + other.rejected,
            self.not_fruit + other.not_fruit,
        )

    def line(self, name: str) -> str:
        return (
            f"{name}: right kind {self.right_kind}/{self.fruit} ({100 * self.right_kind / self.fruit:.1f} %), "
            f"rejected {self.rejected}/{self.not_fruit}"
        )


def pooled(feature_maps: torch.Tensor, pool: str) -> torch.Tensor:
    if pool == "gem":
        return feature_maps.clamp_min(1e-6).pow(GEM_POWER).mean(dim=(2, 3)).pow(1 / GEM_POWER)
    return feature_maps.mean(dim=(2, 3))


def tapped_features(body: EfficientNet, images: torch.Tensor, pool: str, taps: tuple[int, ...] = ()) -> torch.Tensor:
    """A timm EfficientNet's pooled last features (those of `forward_features`), then the pooled output of each block
    in `taps`, in `taps` order. (A block ends in a linear projection: its outputs may be negative, which `gem`
    clamps.)"""
    tapped = {}
    x = body.bn1(body.conv_stem(images))
    for index, block in enumerate(body.blocks):
        x = block(x)
        if index in taps:
            tapped[index] = pooled(x, pool)
    last = body.bn2(body.conv_head(x))
    return torch.cat([pooled(last, pool), *(tapped[tap] for tap in taps)], dim=1)


def look_features(
    photos: list[Path], seen_as: Look, input_size: int, pool: str, taps: tuple[int, ...] = ()
) -> np.ndarray:
    """One row per photo: the frozen body's pooled features of the look (and of its blocks `taps`)."""
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
            rows.append(tapped_features(body, images, pool, taps).numpy())
    return np.concatenate(rows)


def cached_look_features(
    photos: list[Path],
    seen_as: Look,
    input_size: int,
    pool: str,
    cache_dir: Path = DEFAULT_CACHE,
    taps: tuple[int, ...] = (),
) -> np.ndarray:
    input_size = seen_as.square(input_size)
    settings = {"arch": seen_as.arch, "size": seen_as.size, "crop": seen_as.crop, "input": input_size, "pool": pool}
    if taps:  # a look without taps keeps the key it had before they existed
        settings["taps"] = list(taps)
    path = cache_dir / f"readout-{bank_key(photos, settings)}.npy"
    if path.exists():
        cached: np.ndarray = np.load(path)
        return cached
    features = look_features(photos, seen_as, input_size, pool, taps)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:  # a run stopped mid-write leaves no half-written cache, as `cached_bank`
        np.save(out, features)
    tmp.replace(path)
    return features


@dataclass(frozen=True)
class Classifier:
    scaler: StandardScaler
    model: LogisticRegression

    def probs(self, features: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Probabilities in `classes` order; 0 for a class the model was not fitted on."""
        probs = np.zeros((len(features), len(classes)))
        probs[:, np.searchsorted(classes, self.model.classes_)] = self.model.predict_proba(
            self.scaler.transform(features)
        )
        return probs

    def predict(self, features: np.ndarray) -> np.ndarray:
        predicted: np.ndarray = self.model.predict(self.scaler.transform(features))
        return predicted


def fitted(features: np.ndarray, labels: np.ndarray, c: float, weights: np.ndarray | None = None) -> Classifier:
    scaler = StandardScaler().fit(features)
    model = LogisticRegression(C=c, max_iter=2000).fit(scaler.transform(features), labels, sample_weight=weights)
    return Classifier(scaler, model)


def out_of_fold_probs(features: np.ndarray, labels: np.ndarray, folds: np.ndarray, c: float) -> np.ndarray:
    """Each row's probabilities (in `np.unique(labels)` order) from a model fitted on the other folds."""
    classes = np.unique(labels)
    probs = np.zeros((len(labels), len(classes)))
    for held in np.unique(folds):
        train, test = folds != held, folds == held
        probs[test] = fitted(features[train], labels[train], c).probs(features[test], classes)
    return probs


def soft_targets(
    labels: np.ndarray, teacher: np.ndarray, share: float, floor: float = DISTIL_FLOOR
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, classes and weights whose weighted cross-entropy is each photo's against its target: its label mixed with
    the `teacher`'s probabilities (`share` of them), shares under `floor` dropped, the rest renormalised."""
    classes = np.unique(labels)
    target = share * teacher
    target[np.arange(len(labels)), np.searchsorted(classes, labels)] += 1 - share
    target[target < floor] = 0.0
    target /= target.sum(axis=1, keepdims=True)
    rows, columns = np.nonzero(target)
    return rows, classes[columns], target[rows, columns]


def teachers_views(
    teacher: np.ndarray,
    labels: list[str],
    folds: list[int],
    c: float,
    in_sample: bool = False,
    temperature: float = 1.0,
) -> dict[int, np.ndarray]:
    """For each held-out fold, the teacher's probabilities of the other folds' photos, softened by `temperature`:
    each photo's from a teacher fitted on the remaining folds (a view of a photo the teacher never saw, as the
    held-out fold's are), or with `in_sample` from one teacher fitted on them all (Hinton's distillation)."""
    truth, fold = np.asarray(labels), np.asarray(folds)
    views = {}
    for held in np.unique(fold):
        train = fold != held
        if in_sample:
            probs = fitted(teacher[train], truth[train], c).probs(teacher[train], np.unique(truth[train]))
        else:
            probs = out_of_fold_probs(teacher[train], truth[train], fold[train], c)
        softened = np.power(probs, 1 / temperature)  # softmax(logits / T), up to the normalisation
        views[int(held)] = softened / softened.sum(axis=1, keepdims=True)
    return views


def readout(
    features: np.ndarray,
    labels: list[str],
    folds: list[int],
    c: float = 0.2,
    views: dict[int, np.ndarray] | None = None,
    share: float = 0.0,
) -> Readout:
    """Each fold's photos named by a logistic regression (on standardised features) fitted on the other folds; with
    a teacher's `views` of them, fitted to targets mixed with the teacher's probabilities (`share` of them)."""
    truth, fold = np.asarray(labels), np.asarray(folds)
    predicted = np.empty_like(truth)
    for held in np.unique(fold):
        train, test = fold != held, fold == held
        if views is None:
            model = fitted(features[train], truth[train], c)
        else:
            rows, targets, weights = soft_targets(truth[train], views[int(held)], share)
            model = fitted(features[train][rows], targets, c, weights)
        predicted[test] = model.predict(features[test])
    return named(predicted, truth)


def named(predicted: np.ndarray, truth: np.ndarray) -> Readout:
    """How many fruit photos `predicted` names as their kind, and how many not-a-fruit photos it rejects."""
    fruit = truth != NOT_FRUIT
    right = sum(p != NOT_FRUIT and kind(p) == kind(t) for p, t in zip(predicted[fruit], truth[fruit], strict=True))
    return Readout(int(right), int(fruit.sum()), int(np.sum(predicted[~fruit] == NOT_FRUIT)), int((~fruit).sum()))


def add_readout_arguments(parser: argparse.ArgumentParser) -> None:
    """What a readout over a crossval's folds is given: the crossval's held-out file, the looks, the square they are
    cut from and the logistic regression's C (the looks are `SERVED_LOOKS` unless `--look` names some)."""
    parser.add_argument("held_out", type=Path)
    parser.add_argument("--look", action="append", type=Look.parse, help=f"ARCH:SIZE:CROP (default {SERVED_LOOKS})")
    parser.add_argument("--input", type=int, default=288, help="px of the square photo the looks are cut from")
    parser.add_argument("--c", type=float, default=0.2, help="inverse L2 strength of the logistic regression")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_readout_arguments(parser)
    parser.add_argument("--pool", choices=["avg", "gem"], default="avg")
    parser.add_argument("--tap", action="append", type=int, default=[], help="a block whose pooled output joins")
    parser.add_argument("--teacher-look", action="append", type=Look.parse, default=[], help="a look of the teacher")
    parser.add_argument("--distil", action="append", type=float, default=[], help="the teacher's share of a target")
    parser.add_argument(
        "--teacher-views", choices=["out-of-fold", "in-sample"], default="out-of-fold", help="see teachers_views"
    )
    parser.add_argument("--teacher-temperature", type=float, default=1.0, help="softens the teacher's probabilities")
    args = parser.parse_args()
    looks = args.look or [Look.parse(spec) for spec in SERVED_LOOKS]
    held_out = HeldOut.read(args.held_out)
    photos, labels = [s.path for s in held_out.photos], [s.label for s in held_out.photos]
    taps = tuple(args.tap)
    features = [cached_look_features(photos, seen_as, args.input, args.pool, taps=taps) for seen_as in looks]
    for seen_as, rows in zip(looks, features, strict=True):
        name = (
            f"{seen_as.arch} {seen_as.size} px, centre {seen_as.crop:g} of {seen_as.square(args.input)} px, {args.pool}"
            + (f", blocks {list(taps)} tapped" if taps else "")
        )
        print(readout(rows, labels, held_out.folds, args.c).line(name))
    student = np.concatenate(features, axis=1)
    if len(looks) > 1:
        print(readout(student, labels, held_out.folds, args.c).line("all looks"))
    if args.teacher_look:
        teacher = np.concatenate(
            [cached_look_features(photos, seen_as, args.input, args.pool) for seen_as in args.teacher_look], axis=1
        )
        print(readout(teacher, labels, held_out.folds, args.c).line("teacher"))
        in_sample = args.teacher_views == "in-sample"
        views = teachers_views(teacher, labels, held_out.folds, args.c, in_sample, args.teacher_temperature)
        for share in args.distil:
            result = readout(student, labels, held_out.folds, args.c, views, share)
            print(result.line(f"looks distilled from the teacher, its share {share:g}"))


if __name__ == "__main__":
    main()
