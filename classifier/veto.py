"""A second opinion on "not a fruit" from the backbone's own ImageNet head.

Our reject class only knows what it was shown (packages and vegetables in shops). The pretrained ImageNet head
knows a thousand everyday things (cats, rockets, faces, pages of text…) and a few fruit. From the training fruit
photos we learn which ImageNet classes fruit photos look like to it ("fruit-like": Granny Smith, lemon, banana,
but also grocery store, plate, bell pepper…); when the ImageNet head puts more than `threshold` of its probability
outside those classes (on average over the model's looks at the whole photo, one per input size), the photo is vetoed:
its not-a-fruit logit is raised above all others. The threshold is the KEEP_TRAINING_FRUIT quantile of that mass
over the training fruit photos, so at most 1 - KEEP_TRAINING_FRUIT of them would be vetoed.

Some fruit look like nothing fruity to ImageNet (red bananas are "nematode" or "flatworm" to it, dates a "sleeping
bag"): when our heads are sure of one fruit (SURE_FRUIT), the veto needs more: a mass above `threshold_sure`, the
most any training fruit photo had.
"""

from __future__ import annotations

import torch
from torch import nn

# Fruit-like ImageNet classes: top-1 for FRUIT_LIKE_MIN_SHARE of the training fruit photos, or for
# FRUIT_LIKE_MIN_CLASS_SHARE of one fruit class's photos; the threshold keeps KEEP_TRAINING_FRUIT of the training
# fruit. From SURE_FRUIT (one fruit class, the heads' mean) the veto needs `threshold_sure`. How these were chosen,
# with the figures: models/EXPERIMENTS.md §5 and §8.
FRUIT_LIKE_MIN_SHARE = 0.002
FRUIT_LIKE_MIN_CLASS_SHARE = 0.2
KEEP_TRAINING_FRUIT = 0.999
SURE_FRUIT = 0.8
VETO_MARGIN = 20.0  # logits: the vetoed not-a-fruit class ends up with ~all the probability


class ImageNetVeto(nn.Module):
    def __init__(self, imagenet: nn.Linear, fruit_like: list[int], threshold: float, threshold_sure: float) -> None:
        super().__init__()
        self.imagenet = imagenet
        self.register_buffer("fruit_like", torch.tensor(fruit_like, dtype=torch.long))
        self.threshold, self.threshold_sure = threshold, threshold_sure

    def other_mass(self, avg_pooled: list[torch.Tensor]) -> torch.Tensor:
        """The ImageNet head's probability outside the fruit-like classes, per image, averaged over the looks at
        it (`avg_pooled`: the body's average-pooled features at each input size)."""
        masses = [1 - self.imagenet(looks).softmax(dim=1)[:, self.fruit_like].sum(dim=1) for looks in avg_pooled]
        return torch.stack(masses).mean(dim=0)

    def forward(self, avg_pooled: list[torch.Tensor], best_fruit: torch.Tensor) -> torch.Tensor:
        """Which images are vetoed; `best_fruit`: per image, the heads' probability of their most probable fruit."""
        threshold = torch.where(best_fruit >= SURE_FRUIT, self.threshold_sure, self.threshold)
        return self.other_mass(avg_pooled) > threshold


def fit_veto(imagenet: nn.Linear, fruit_avg_pooled: list[torch.Tensor], fruit_classes: torch.Tensor) -> ImageNetVeto:
    """Choose the fruit-like ImageNet classes and the threshold from training fruit photos' average-pooled
    features (one tensor per input size, rows in the same order) and their classes (`fruit_classes`, per row)."""
    with torch.no_grad():
        top1 = torch.cat([imagenet(looks).argmax(dim=1) for looks in fruit_avg_pooled])
        classes = fruit_classes.repeat(len(fruit_avg_pooled))
        fruit_like = set(common(top1, FRUIT_LIKE_MIN_SHARE, imagenet.out_features))
        for fruit in torch.unique(classes):
            fruit_like |= set(common(top1[classes == fruit], FRUIT_LIKE_MIN_CLASS_SHARE, imagenet.out_features))
        veto = ImageNetVeto(imagenet, sorted(fruit_like), threshold=1.0, threshold_sure=1.0)
        mass = veto.other_mass(fruit_avg_pooled).float()
        veto.threshold, veto.threshold_sure = float(torch.quantile(mass, KEEP_TRAINING_FRUIT)), float(mass.max())
    return veto


def common(top1: torch.Tensor, min_share: float, n_classes: int) -> list[int]:
    """The classes that are at least `min_share` of `top1`."""
    counts = torch.bincount(top1, minlength=n_classes)
    return torch.nonzero(counts >= min_share * len(top1)).flatten().tolist()


def raise_class(logits: torch.Tensor, vetoed: torch.Tensor, index: int) -> torch.Tensor:
    """`logits` with class `index` raised above all others in the `vetoed` rows (the other rows as they are)."""
    raised = torch.where(vetoed, logits.max(dim=1).values + VETO_MARGIN, logits[:, index])
    return torch.cat([logits[:, :index], raised.unsqueeze(1), logits[:, index + 1 :]], dim=1)
