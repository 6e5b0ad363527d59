"""The ImageNet veto: fitted on fruit features, it raises the not-a-fruit logit for everything else."""

import torch
from torch import nn

from classifier.veto import KEEP_TRAINING_FRUIT, VetoedHead, fit_veto


def imagenet_like(n_features: int = 4, n_classes: int = 6) -> nn.Linear:
    """ImageNet class i fires on feature i (classes 4 and 5: never the top-1)."""
    head = nn.Linear(n_features, n_classes)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.fill_(-5.0)
        head.weight[:n_features, :n_features] = torch.eye(n_features) * 10
    return head


def test_fruit_like_classes_and_threshold_come_from_the_fruit_photos() -> None:
    fruit = torch.cat([torch.tensor([[1.0, 0, 0, 0]]).repeat(600, 1), torch.tensor([[0, 1.0, 0, 0]]).repeat(400, 1)])
    fruit += torch.randn(1000, 4) * 0.05
    veto = fit_veto(imagenet_like(), fruit)
    assert veto.fruit_like.tolist() == [0, 1]
    assert (veto(fruit).float().mean() <= 1 - KEEP_TRAINING_FRUIT + 1e-6).item()
    assert veto(torch.tensor([[0, 0, 1.0, 0], [0, 0, 0, 1.0]])).tolist() == [True, True]  # a "cat", a "rocket"


def test_vetoed_head_gives_the_not_fruit_class_the_vetoed_photos_only() -> None:
    n_features, not_fruit = 4, 2
    veto = fit_veto(imagenet_like(), torch.tensor([[1.0, 0, 0, 0]]).repeat(10, 1))
    classifier = nn.Linear(2 * n_features, 3)
    head = VetoedHead(nn.Sequential(nn.Identity(), nn.Identity(), classifier), veto, not_fruit, n_features)
    head.eval()
    # pooled features are [max, avg]: the veto reads the avg half
    fruit_photo = torch.cat([torch.zeros(4), torch.tensor([1.0, 0, 0, 0])])
    cat_photo = torch.cat([torch.zeros(4), torch.tensor([0, 0, 1.0, 0])])
    with torch.no_grad():
        logits = head(torch.stack([fruit_photo, cat_photo]))
        plain = classifier(torch.stack([fruit_photo, cat_photo]))
    assert torch.equal(logits[0], plain[0])
    assert logits[1].argmax().item() == not_fruit and logits[1].softmax(0)[not_fruit] > 0.999
    assert torch.equal(logits[1, :not_fruit], plain[1, :not_fruit])
