"""A second opinion on "not a fruit" from the backbone's own ImageNet head.

Our reject class only knows what it was shown (packages and vegetables in shops). The pretrained ImageNet head
knows a thousand everyday things (cats, rockets, faces, pages of text…) and a few fruit. From the training fruit
photos we learn which ImageNet classes fruit photos look like to it ("fruit-like": Granny Smith, lemon, banana,
but also grocery store, plate, bell pepper…); when the ImageNet head puts more than `threshold` of its probability
outside those classes, the photo is vetoed: its not-a-fruit logit is raised above all others. The threshold is
the `keep` quantile of that mass over the training fruit photos, so at most 1 - `keep` of them would be vetoed.
"""

from __future__ import annotations

import torch
from torch import nn

FRUIT_LIKE_MIN_SHARE = 0.002  # an ImageNet class is fruit-like when it is top-1 for 0.2 % of training fruit photos
KEEP_TRAINING_FRUIT = 0.998
VETO_MARGIN = 20.0  # logits: the vetoed not-a-fruit class ends up with ~all the probability


class ImageNetVeto(nn.Module):
    def __init__(self, imagenet: nn.Linear, fruit_like: list[int], threshold: float) -> None:
        super().__init__()
        self.imagenet = imagenet
        self.register_buffer("fruit_like", torch.tensor(fruit_like, dtype=torch.long))
        self.threshold = threshold

    def other_mass(self, avg_pooled: torch.Tensor) -> torch.Tensor:
        """The ImageNet head's probability outside the fruit-like classes, per image."""
        return 1 - self.imagenet(avg_pooled).softmax(dim=1)[:, self.fruit_like].sum(dim=1)

    def forward(self, avg_pooled: torch.Tensor) -> torch.Tensor:
        return self.other_mass(avg_pooled) > self.threshold


def fit_veto(imagenet: nn.Linear, fruit_avg_pooled: torch.Tensor) -> ImageNetVeto:
    """Choose the fruit-like ImageNet classes and the threshold from training fruit photos' pooled features."""
    with torch.no_grad():
        top1 = imagenet(fruit_avg_pooled).argmax(dim=1)
        counts = torch.bincount(top1, minlength=imagenet.out_features)
        fruit_like = torch.nonzero(counts >= FRUIT_LIKE_MIN_SHARE * len(top1)).flatten().tolist()
        veto = ImageNetVeto(imagenet, fruit_like, threshold=1.0)
        veto.threshold = float(torch.quantile(veto.other_mass(fruit_avg_pooled).float(), KEEP_TRAINING_FRUIT))
    return veto


class VetoedHead(nn.Module):
    """fastai's head (concat pool, flatten, classifier) with the ImageNet veto on the not-a-fruit logit."""

    def __init__(self, head: nn.Sequential, veto: ImageNetVeto, not_fruit: int, n_features: int) -> None:
        super().__init__()
        self.pool, self.classifier, self.veto = head[:2], head[2:], veto
        self.not_fruit, self.n_features = not_fruit, n_features

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        pooled = self.pool(features)  # fastai's AdaptiveConcatPool2d: [max, avg]
        logits = self.classifier(pooled)
        vetoed = self.veto(pooled[:, self.n_features :])
        raised = torch.where(vetoed, logits.max(dim=1).values + VETO_MARGIN, logits[:, self.not_fruit])
        before, after = logits[:, : self.not_fruit], logits[:, self.not_fruit + 1 :]
        return torch.cat([before, raised.unsqueeze(1), after], dim=1)
