"""The frozen body's features of every training image, computed once and cached: what makes training and
cross-validation fast on a CPU.

For each pass over the training images (the first as they are, the others augmented) the bank keeps the front's
output at the tuned size (the input of the tail that gets fine-tuned) and the average-pooled features of each look
the linear heads train on. The looks at other sizes are cached for the first `multi_size_passes` passes only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from fastai.callback.data import WeightedDL
from fastai.data.core import DataLoader, DataLoaders
from fastai.vision.all import progress_bar
from torch import nn
from torch.utils.data import TensorDataset

from classifier.multiscale import look

CPU_BATCH = 8  # images per forward pass: on a 2-core CPU small batches run several times faster per image


@dataclass
class FeatureBank:
    """Cached features of `n` items: `targets[i]` is item i's class index; for each pass p, `front[p]` (float16,
    n x C x h x w) at the tuned size and `pooled[p][size]` (float16, n x F) for the sizes cached in that pass."""

    targets: torch.Tensor
    front: list[torch.Tensor] = field(default_factory=list)
    pooled: list[dict[int, torch.Tensor]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.targets)


def compute_bank(
    front: nn.Module,
    back: nn.Module,
    plain: DataLoader,
    augmented: DataLoader,
    sizes: list[int],
    tuned_size: int,
    passes: int,
    multi_size_passes: int,
    crops: list[float] | None = None,
) -> FeatureBank:
    """The bank of `plain`'s items (pass 0) and `passes - 1` augmented passes of `augmented` (the same items in the
    same order, with training transforms), its images at `sizes[0]` px; the look at `sizes[i]` sees their centre
    `crops[i]` (of the side; all of it by default), as the served model looks."""
    bank = FeatureBank(targets=torch.empty(0, dtype=torch.long))
    crop_of = dict(zip(sizes, crops or [1.0] * len(sizes), strict=True))
    body_sizes = sorted(set(sizes) | {tuned_size}, reverse=True)
    front.eval(), back.eval()
    for p in range(passes):
        dl = (plain if p == 0 else augmented).new(shuffle=False, drop_last=False, bs=CPU_BATCH)
        cached_sizes = body_sizes if p < multi_size_passes else [tuned_size]
        fronts, pooled, targets = [], {size: [] for size in cached_sizes if size in sizes}, []
        with torch.inference_mode():
            for xb, yb in progress_bar(dl, leave=False):
                images = xb.as_subclass(torch.Tensor)
                for size in cached_sizes:
                    features = front(look(images, images.shape[-1], size, crop_of.get(size, 1.0)))
                    if size == tuned_size:
                        fronts.append(features.half())
                    if size in pooled:
                        pooled[size].append(back(features).mean(dim=(2, 3)).half())
                targets.append(yb.as_subclass(torch.Tensor))
        bank.front.append(torch.cat(fronts))
        bank.pooled.append({size: torch.cat(rows) for size, rows in pooled.items()})
        if p == 0:
            bank.targets = torch.cat(targets).long()
    return bank


def bank_key(paths: list[Path], settings: dict[str, object]) -> str:
    """A name for a bank from its items and how it was computed (files are taken as unchanged by path)."""
    digest = hashlib.sha256(json.dumps([[str(p) for p in paths], settings], sort_keys=True).encode())
    return digest.hexdigest()[:16]


def cached_bank(cache_dir: Path | None, key: str, compute: Callable[[], FeatureBank]) -> FeatureBank:
    """The bank stored under `key` in `cache_dir`, else `compute()` stored there (no cache when None)."""
    if cache_dir is None:
        return compute()
    path = cache_dir / f"features-{key}.pt"
    if path.exists():
        return FeatureBank(**torch.load(path, weights_only=True))
    bank = compute()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"targets": bank.targets, "front": bank.front, "pooled": bank.pooled}, tmp)
    tmp.replace(path)
    return bank


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
