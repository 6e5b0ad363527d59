"""The frozen-body model: one pretrained body looks at a photo at one or more input sizes, a head per size, their
probabilities averaged, and the ImageNet veto on the not-a-fruit class.

Heads trained on the body's features at 224 px and at 288 px make different mistakes on real photos; together
they name the right fruit more often than either alone or than two heads at the same size (models/EXPERIMENTS.md).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from classifier.veto import ImageNetVeto, raise_class


def resized(images: torch.Tensor, size: int) -> torch.Tensor:
    """A batch of square images at `size` px (bilinear; the same in training, in PyTorch and in ONNX Runtime)."""
    return F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)


class MultiScale(nn.Module):
    """Input at `sizes[0]` px; output the log of the heads' mean probabilities (so softmax gives that mean), with
    class `not_fruit` raised above all others where the ImageNet `veto` (fed every size's look and the heads' best
    fruit) says so."""

    def __init__(
        self,
        body: nn.Module,
        heads: list[nn.Module],
        sizes: list[int],
        veto: ImageNetVeto | None = None,
        not_fruit: int | None = None,
    ) -> None:
        super().__init__()
        self.body, self.heads, self.sizes = body, nn.ModuleList(heads), sizes
        self.veto, self.not_fruit = veto, not_fruit

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        looks = [self.body(x) for x in [images] + [resized(images, size) for size in self.sizes[1:]]]
        log_probs = [head(features).log_softmax(dim=1) for features, head in zip(looks, self.heads, strict=True)]
        mean = torch.logsumexp(torch.stack(log_probs), dim=0) - math.log(len(log_probs))
        if self.veto is None or self.not_fruit is None:
            return mean
        fruit = torch.cat([mean[:, : self.not_fruit], mean[:, self.not_fruit + 1 :]], dim=1)
        vetoed = self.veto([features.mean(dim=(2, 3)) for features in looks], fruit.max(dim=1).values.exp())
        return raise_class(mean, vetoed, self.not_fruit)


def sizes_of(model: nn.Module, size: int) -> list[int]:
    """The input sizes `model` looks at a photo at: a `MultiScale`'s sizes, else only its input `size`."""
    return list(model.sizes) if isinstance(model, MultiScale) else [size]
