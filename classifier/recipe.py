"""The frozen-body recipe, fitted on cached features (classifier/features.py): a linear head per look, a tuned
tail, the ImageNet veto. `train` fits it on every training photo, `crossval` on each fold's; both get a
`MultiScale`, and `held_out_log_probs` runs its arithmetic on cached features of photos it did not train on."""

from __future__ import annotations

import logging
import tempfile
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

import torch
from fastai.callback.data import WeightedDL
from fastai.data.core import DataLoader, DataLoaders
from fastai.vision.all import LabelSmoothingCrossEntropyFlat, Learner, accuracy, params
from torch import nn
from torch.utils.data import TensorDataset

from classifier.config import Recipe
from classifier.features import FeatureBank, feature_dataloaders
from classifier.multiscale import MultiScale, TunedTail, linear_head, whole_looks
from classifier.veto import ImageNetVeto, fit_veto

log = logging.getLogger(__name__)
Rows = torch.Tensor  # item indices into a FeatureBank


@dataclass
class Fitted:
    model: MultiScale
    lr: float  # the linear heads' learning rate (lr_find's, unless the recipe gave one)
    lr_find_plot: Path | None = None
    notes: list[str] = field(default_factory=list)


def fit(
    front: nn.Module,
    back: nn.Module,
    bank: FeatureBank,
    rows: Rows,
    real: torch.Tensor,
    valid: tuple[torch.Tensor, torch.Tensor],
    vocab: list[str],
    recipe: Recipe,
    imagenet: nn.Linear | None,
    not_fruit: int | None,
    lr_find_plot: Path | None = None,
) -> Fitted:
    """Fit the recipe on `rows` of `bank` (`real[i]`: item i is a real photo, not a studio shot); `valid`: pooled
    plain features and targets for the Learners' validation (a studio sample, for lr_find and the logs)."""
    heads, lr = [], recipe.lr
    for look, size in enumerate(recipe.sizes):
        head, suggested = fit_head(
            bank,
            rows,
            real,
            valid,
            size,
            len(vocab),
            recipe,
            lr,
            lr_find_plot if look == 0 else None,
            imagenet if recipe.imagenet_inputs else None,
        )
        heads.append(head)
        lr = lr or suggested
    assert lr is not None
    tuned = fit_tail(back, bank, rows, real, len(vocab), recipe) if recipe.tuned_size is not None else None
    veto = fitted_veto(imagenet, bank, rows, recipe, not_fruit) if imagenet is not None else None
    model = MultiScale(
        front,
        back,
        heads,
        list(recipe.sizes),
        crops=list(recipe.crops),
        tuned=tuned,
        tuned_look=list(recipe.sizes).index(recipe.tuned_size) if recipe.tuned_size is not None else 0,
        tuned_weight=recipe.tail_weight if tuned is not None else 0.0,
        temperature=recipe.temperature,
        rule=recipe.rule,
        veto=veto,
        not_fruit=not_fruit if veto is not None else None,
    )
    return Fitted(model.eval(), lr, lr_find_plot)


def head_rows(bank: FeatureBank, rows: Rows, size: int, passes: int) -> tuple[torch.Tensor, torch.Tensor, Rows]:
    """(features, targets, item index) of `rows` over the first `passes` passes cached at `size`."""
    cached = [p for p in range(passes) if size in bank.pooled[p]]
    features = torch.cat([bank.pooled[p][size][rows] for p in cached]).float()
    return features, bank.targets[rows].repeat(len(cached)), rows.repeat(len(cached))


def fit_head(
    bank: FeatureBank,
    rows: Rows,
    real: torch.Tensor,
    valid: tuple[torch.Tensor, torch.Tensor],
    size: int,
    n_classes: int,
    recipe: Recipe,
    lr: float | None,
    lr_find_plot: Path | None,
    imagenet: nn.Linear | None = None,
) -> tuple[nn.Module, float | None]:
    """A linear head on the `size` look's pooled features (and, with `imagenet`, that head's log-probabilities of
    them), label smoothing, real fruit drawn `real_weight`×."""
    features, targets, items = head_rows(bank, rows, size, recipe.head_passes)
    weights = torch.where(real[items], recipe.real_weight, 1.0).double()
    head = linear_head(features.shape[1], n_classes, imagenet=imagenet)
    learn = Learner(
        feature_dataloaders((features, targets), valid, weights),
        head,
        loss_func=LabelSmoothingCrossEntropyFlat(),
        metrics=[accuracy],
    )
    suggested = find_lr(learn, lr_find_plot) if lr_find_plot is not None or lr is None else None
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(recipe.epochs, lr or suggested)
    return head.eval(), suggested


def find_lr(learn: Learner, plot: Path | None, iters: int = 100) -> float:
    """fastai's `lr_find` (its temporary weights kept out of the repository), its plot saved to `plot`."""
    import matplotlib.pyplot as plt

    model_dir = learn.model_dir
    with tempfile.TemporaryDirectory() as scratch:
        learn.model_dir = Path(scratch)
        with learn.no_bar():
            lr = float(learn.lr_find(num_it=iters, show_plot=plot is not None).valley)
    learn.model_dir = model_dir
    if plot is not None:
        plt.gcf().savefig(plot, dpi=80, bbox_inches="tight")
        plt.close("all")
    return lr


def fit_tail(
    back: nn.Module, bank: FeatureBank, rows: Rows, real: torch.Tensor, n_classes: int, recipe: Recipe
) -> TunedTail:
    """Fine-tune a copy of the body's back on the cached front features of every pass: real photos (fruit and not
    a fruit) `tail_real_share` of each batch, label smoothing, discriminative learning rates (`lr_max=slice`)."""
    fronts = torch.cat([bank.front[p][rows] for p in range(recipe.passes)])
    targets, items = bank.targets[rows].repeat(recipe.passes), rows.repeat(recipe.passes)
    is_real = real[items]
    n_real = max(int(is_real.sum()), 1)
    n_studio = max(len(items) - n_real, 1)
    share = recipe.tail_real_share if n_real < len(items) else 1.0
    weights = torch.where(is_real, share / n_real, (1 - share) / n_studio).double()
    tail = TunedTail(deepcopy(back), int(bank.pooled[0][recipe.sizes[0]].shape[1]), n_classes)
    train_dl = WeightedDL(TensorDataset(fronts, targets), bs=48, wgts=weights.numpy(), shuffle=True, drop_last=True)
    valid_dl = DataLoader(TensorDataset(fronts[:96], targets[:96]), bs=48)
    learn = Learner(
        DataLoaders(train_dl, valid_dl),
        tail,
        loss_func=LabelSmoothingCrossEntropyFlat(),
        splitter=lambda m: [params(m.back), params(m.head)],
    )
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(recipe.tail_epochs, lr_max=slice(recipe.tail_lr / 10, recipe.tail_lr), pct_start=0.2)
    return tail.eval()


def fitted_veto(
    imagenet: nn.Linear, bank: FeatureBank, rows: Rows, recipe: Recipe, not_fruit: int | None
) -> ImageNetVeto | None:
    """The ImageNet veto fitted on the training fruit photos of `rows` as they are (pass 0, the looks at the whole
    photo)."""
    if not_fruit is None:
        return None
    fruit = rows[bank.targets[rows] != not_fruit]
    looks = whole_looks([bank.pooled[0][size][fruit].float() for size in recipe.sizes], list(recipe.crops))
    veto = fit_veto(imagenet, looks, bank.targets[fruit])
    log.info(
        "ImageNet veto: %d fruit-like classes, threshold %.3f (%.3f when the heads are sure)",
        len(veto.fruit_like),
        veto.threshold,
        veto.threshold_sure,
    )
    return veto


def held_out_log_probs(model: MultiScale, bank: FeatureBank, rows: Rows, veto: bool = True) -> torch.Tensor:
    """The model's log-probabilities for `rows` from their cached plain features (pass 0): what the served model
    computes for those photos, without recomputing the body (`veto=False`: before the ImageNet veto)."""
    with torch.inference_mode():
        pooled = [bank.pooled[0][size][rows].float() for size in model.sizes]
        tuned = model.tuned(bank.front[0][rows].float()) if model.tuned is not None else None
        return model.combine(pooled, tuned, apply_veto=veto)
