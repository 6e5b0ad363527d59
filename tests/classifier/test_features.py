"""The feature bank: item order kept in every pass, the looks cached where the recipe says, and weighted drawing
of training rows."""

import torch
from fastai.data.core import DataLoader
from torch import nn

from classifier.features import cached_bank, compute_bank, feature_dataloaders


def images_dl(shuffle: bool) -> DataLoader:
    """Five 2-channel 4x4 images whose pixels all hold their index."""
    images = torch.arange(5, dtype=torch.float32).view(5, 1, 1, 1).expand(5, 2, 4, 4).clone()
    return DataLoader(list(zip(images, torch.arange(5), strict=True)), bs=2, shuffle=shuffle, drop_last=shuffle)


def test_every_pass_keeps_item_order_and_the_looks_are_cached_where_the_recipe_says() -> None:
    bank = compute_bank(nn.Identity(), nn.Identity(), images_dl(False), images_dl(True), [4, 2], 2, 3, 2)
    assert bank.targets.tolist() == [0, 1, 2, 3, 4] and len(bank) == 5
    assert [sorted(p) for p in bank.pooled] == [[2, 4], [2, 4], [2]]  # other sizes only in the first 2 passes
    for p in range(3):
        assert bank.front[p].shape == (5, 2, 2, 2) and bank.front[p].dtype == torch.float16
        assert bank.pooled[p][2][:, 0].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_each_look_is_cached_as_the_served_model_sees_it() -> None:
    framed = torch.zeros(5, 2, 4, 4)
    framed[..., 1:3, 1:3] = 1.0  # the centre 2x2 of each image is 1, the rest 0
    dl = DataLoader(list(zip(framed, torch.arange(5), strict=True)), bs=2)
    bank = compute_bank(nn.Identity(), nn.Identity(), dl, dl, [4, 2], 2, 1, 1, crops=[1.0, 0.5])
    assert bank.pooled[0][4][:, 0].tolist() == [0.25] * 5  # the whole image
    assert bank.pooled[0][2][:, 0].tolist() == [1.0] * 5  # its centre only
    assert bank.front[0][0, 0].tolist() == [[1.0, 1.0], [1.0, 1.0]]  # the tuned look's front: the centre too


def test_a_cached_bank_is_computed_once(tmp_path) -> None:
    calls = []

    def compute():
        calls.append(1)
        return compute_bank(nn.Identity(), nn.Identity(), images_dl(False), images_dl(True), [4], 4, 1, 1)

    first = cached_bank(tmp_path, "k1", compute)
    second = cached_bank(tmp_path, "k1", compute)
    assert calls == [1] and torch.equal(first.pooled[0][4], second.pooled[0][4])


def test_training_rows_are_drawn_in_proportion_to_their_weights() -> None:
    rows = (torch.zeros(1000, 3), torch.tensor([0] * 500 + [1] * 500))
    weights = torch.tensor([1.0] * 500 + [3.0] * 500, dtype=torch.float64)
    dls = feature_dataloaders(rows, rows, weights, bs=100)
    drawn = torch.cat([yb for _ in range(5) for _, yb in dls.train])
    assert 0.7 < drawn.float().mean().item() < 0.8  # 3 of 4 draws from the weighted half
    assert len(dls.valid.dataset) == 1000
