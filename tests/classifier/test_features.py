"""Cached features for the frozen-body recipe: item order, passes, and weighted drawing of training rows."""

import torch
from fastai.data.core import DataLoader
from torch import nn

from classifier.features import feature_dataloaders, pooled_features


def test_pooled_features_keep_item_order_for_every_pass() -> None:
    images = torch.arange(5, dtype=torch.float32).view(5, 1, 1, 1).expand(5, 2, 3, 3).clone()
    targets = torch.arange(5)
    dl = DataLoader(list(zip(images, targets, strict=True)), bs=2, shuffle=True, drop_last=True)
    features, ys = pooled_features(nn.Identity(), nn.AdaptiveAvgPool2d(1), dl, passes=2)
    assert features.shape == (10, 2)
    assert ys.tolist() == [0, 1, 2, 3, 4] * 2
    assert features[:, 0].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] * 2


def test_training_rows_are_drawn_in_proportion_to_their_weights() -> None:
    rows = (torch.zeros(1000, 3), torch.tensor([0] * 500 + [1] * 500))
    weights = torch.tensor([1.0] * 500 + [3.0] * 500, dtype=torch.float64)
    dls = feature_dataloaders(rows, rows, weights, bs=100)
    drawn = torch.cat([yb for _ in range(5) for _, yb in dls.train])
    assert 0.7 < drawn.float().mean().item() < 0.8  # 3 of 4 draws from the weighted half
    assert len(dls.valid.dataset) == 1000
