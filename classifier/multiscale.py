"""The served model: one pretrained body looks at a photo at one or more input sizes (each look the whole photo or
its centre), a frozen-body linear head per look, optionally a tuned tail (the body's last blocks fine-tuned on real
photos, with a head of its own), their probabilities mixed, a temperature, and the ImageNet veto on the not-a-fruit
class.

Heads trained on the frozen body's features at 224 px and at 288 px make different mistakes on real photos, and
the tuned tail different ones again; mixed, they name the right fruit more often than any alone
(models/EXPERIMENTS.md). `combine` is the whole model after the body's features, so cross-validation computes
held-out predictions from cached features with exactly the arithmetic the ONNX file runs.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from classifier.config import DEFAULT_RULE, VerdictRule
from classifier.veto import ImageNetVeto, raise_class


def resized(images: torch.Tensor, size: int) -> torch.Tensor:
    """A batch of square images at `size` px (bilinear; the same in training, in PyTorch and in ONNX Runtime)."""
    return F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)


def look(images: torch.Tensor, whole: int, size: int, crop: float = 1.0) -> torch.Tensor:
    """A look at a batch of square images of `whole` px: their centre square of side `crop` × theirs, at `size` px.
    (`whole` is given, not read from `images`, so that ONNX export traces plain numbers.)"""
    side = round(crop * whole)
    if side < whole:
        margin = (whole - side) // 2
        images = images[..., margin : margin + side, margin : margin + side]
    return images if side == size else resized(images, size)


def whole_looks(pooled: list[torch.Tensor], crops: list[float]) -> list[torch.Tensor]:
    """The looks that see the whole photo: what the ImageNet veto judges (a centre look shows the fruit bigger, its
    texture more than the scene: red bananas looked even less like fruit to ImageNet there)."""
    return [x for x, crop in zip(pooled, crops, strict=True) if crop == 1]


def split_body(model: nn.Module, at_block: int = 5) -> tuple[nn.Module, nn.Module]:
    """A timm EfficientNet (fastai's TimmBody holds it as `.model`) as (front: stem and blocks[:at_block], back: the
    rest up to the last BatchNorm), sharing the model's modules: front then back is the whole body."""
    return nn.Sequential(model.conv_stem, model.bn1, model.blocks[:at_block]), nn.Sequential(
        model.blocks[at_block:], model.conv_head, model.bn2
    )


def linear_head(
    n_features: int, n_classes: int, dropout: float = 0.3, imagenet: nn.Linear | None = None
) -> nn.Sequential:
    """BatchNorm, dropout, linear: fastai's head without its pooling (features come pooled); with `imagenet`, the
    features first get that head's log-probabilities beside them (`ImageNetInputs`)."""
    inputs = [ImageNetInputs(imagenet)] if imagenet is not None else []
    n_inputs = n_features + (imagenet.out_features if imagenet is not None else 0)
    return nn.Sequential(*inputs, nn.BatchNorm1d(n_inputs), nn.Dropout(dropout), nn.Linear(n_inputs, n_classes))


class ImageNetInputs(nn.Module):
    """Pooled features -> the features and the frozen ImageNet head's log-probabilities of them. The softmax puts
    what ImageNet learnt from a million real photos (a lemon is not an orange) where a linear head on the features
    alone cannot reach it (models/EXPERIMENTS.md §19). The head is shared with the veto, not copied."""

    def __init__(self, imagenet: nn.Linear) -> None:
        super().__init__()
        self.imagenet = imagenet

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        return torch.cat([pooled, self.imagenet(pooled).log_softmax(dim=1)], dim=1)


class TunedTail(nn.Module):
    """A copy of the body's back, fine-tuned, with a head of its own: front features (at one size) -> logits."""

    def __init__(self, back: nn.Module, n_features: int, n_classes: int) -> None:
        super().__init__()
        self.back, self.head = back, linear_head(n_features, n_classes)

    def forward(self, front_features: torch.Tensor) -> torch.Tensor:
        return self.head(self.back(front_features.float()).mean(dim=(2, 3)))


class MultiScale(nn.Module):
    """Input at `sizes[0]` px, looked at at each of `sizes` (look i: the input's centre `crops[i]` of its side,
    all of it by default); output log-probabilities: the frozen heads' mean probability, mixed with the tuned
    tail's (weight `tuned_weight`, from the look at `sizes[tuned_look]`), sharpened or softened by `temperature`,
    and class `not_fruit` raised above all others where the ImageNet `veto` (fed the average-pooled features of the
    looks at the whole photo and the best fruit's probability) says so."""

    def __init__(
        self,
        front: nn.Module,
        back: nn.Module,
        heads: list[nn.Module],
        sizes: list[int],
        tuned: TunedTail | None = None,
        tuned_look: int = 0,
        tuned_weight: float = 0.0,
        temperature: float = 1.0,
        veto: ImageNetVeto | None = None,
        not_fruit: int | None = None,
        crops: list[float] | None = None,
        rule: VerdictRule = DEFAULT_RULE,
    ) -> None:
        super().__init__()
        self.front, self.back, self.heads, self.sizes = front, back, nn.ModuleList(heads), sizes
        self.crops = crops or [1.0] * len(sizes)
        self.tuned, self.tuned_look, self.tuned_weight = tuned, tuned_look, tuned_weight
        self.temperature, self.veto, self.not_fruit = temperature, veto, not_fruit
        self.rule = rule  # not used here: the verdict rule chosen with `temperature`, for whoever serves the model

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        fronts = [
            self.front(look(images, self.sizes[0], size, crop))
            for size, crop in zip(self.sizes, self.crops, strict=True)
        ]
        pooled = [self.back(features).mean(dim=(2, 3)) for features in fronts]
        tuned = self.tuned(fronts[self.tuned_look]) if self.tuned is not None else None
        return self.combine(pooled, tuned)

    def combine(
        self, pooled: list[torch.Tensor], tuned_logits: torch.Tensor | None, apply_veto: bool = True
    ) -> torch.Tensor:
        """Log-probabilities from each look's average-pooled features and the tuned tail's logits."""
        log_probs = torch.stack([head(x).log_softmax(dim=1) for x, head in zip(pooled, self.heads, strict=True)])
        mixed = torch.logsumexp(log_probs, dim=0) - math.log(len(self.heads))
        if tuned_logits is not None and 0 < self.tuned_weight < 1:
            parts = [
                mixed + math.log(1 - self.tuned_weight),
                tuned_logits.log_softmax(dim=1) + math.log(self.tuned_weight),
            ]
            mixed = torch.logsumexp(torch.stack(parts), dim=0)
        mixed = (mixed / self.temperature).log_softmax(dim=1)
        if self.veto is None or self.not_fruit is None or not apply_veto:
            return mixed
        fruit = torch.cat([mixed[:, : self.not_fruit], mixed[:, self.not_fruit + 1 :]], dim=1)
        vetoed = self.veto(whole_looks(pooled, self.crops), fruit.max(dim=1).values.exp())
        return raise_class(mixed, vetoed, self.not_fruit)


def sizes_of(model: nn.Module, size: int) -> list[int]:
    """The input sizes `model` looks at a photo at: a `MultiScale`'s sizes, else only its input `size`."""
    return list(model.sizes) if isinstance(model, MultiScale) else [size]


def crops_of(model: nn.Module) -> list[float]:
    """The share of the input's side each look of `model` sees (its centre): all of it unless a `MultiScale` says."""
    return list(model.crops) if isinstance(model, MultiScale) else [1.0]


def rule_of(model: nn.Module) -> VerdictRule:
    """The verdict rule `model` answers by: a `MultiScale`'s own (chosen with its temperature), else the default."""
    return model.rule if isinstance(model, MultiScale) else DEFAULT_RULE
