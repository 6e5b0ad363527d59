"""Frozen-body transfer learning, made fast on a CPU: the pretrained body's pooled features are computed once per
pass over the training images (as they are, or augmented), and the head trains on those tensors in seconds per
epoch.

The body keeps its ImageNet features (and BatchNorm statistics): fine-tuning it on white-background studio shots
made the model far worse on real phone photos (models/EXPERIMENTS.md)."""

from __future__ import annotations

import torch
from fastai.callback.data import WeightedDL
from fastai.data.core import DataLoader, DataLoaders
from fastai.vision.all import progress_bar
from torch import nn
from torch.utils.data import TensorDataset

from classifier.multiscale import resized

CPU_BATCH = 8  # images per forward pass: on a 2-core CPU small batches run several times faster per image


def pooled_features(
    body: nn.Module, pool: nn.Module, dl: DataLoader, passes: int = 1, size: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """(features, targets) of every item of `dl`, in its item order, `passes` times (each pass freshly augmented
    when `dl` is a training DataLoader), its images resized to `size` px when given, in batches of CPU_BATCH."""
    dl = dl.new(shuffle=False, drop_last=False, bs=CPU_BATCH)
    body.eval()
    features, targets = [], []
    with torch.inference_mode():
        for _ in range(passes):
            for xb, yb in progress_bar(dl, leave=False):
                images = xb if size in (None, xb.shape[-1]) else resized(xb, size)
                pooled = pool(body(images)).flatten(1).as_subclass(torch.Tensor)  # plain tensors, not fastai's
                features.append(pooled.half())  # half: 4 passes of 8k items in ~100 MB
                targets.append(yb.as_subclass(torch.Tensor))
    return torch.cat(features).float(), torch.cat(targets).long()


def feature_dataloaders(
    train: tuple[torch.Tensor, torch.Tensor],
    valid: tuple[torch.Tensor, torch.Tensor],
    weights: torch.Tensor,
    bs: int = 256,
) -> DataLoaders:
    """DataLoaders over cached features; training rows are drawn with probability proportional to `weights`
    (batches of `bs`, or of all rows when there are fewer)."""
    bs = min(bs, len(weights))
    train_dl = WeightedDL(TensorDataset(*train), bs=bs, wgts=weights.numpy(), shuffle=True, drop_last=True)
    valid_dl = DataLoader(TensorDataset(*valid), bs=bs * 2)
    return DataLoaders(train_dl, valid_dl)
