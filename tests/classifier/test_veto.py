"""The ImageNet veto: fitted on fruit features, it raises the not-a-fruit logit for everything else."""

from typing import Any

import torch
from torch import nn

from classifier.multiscale import MultiScale, TunedTail
from classifier.veto import KEEP_TRAINING_FRUIT, SURE_FRUIT, ImageNetVeto, fit_veto, raise_class


def imagenet_like(n_features: int = 4, n_classes: int = 6) -> nn.Linear:
    """ImageNet class i fires on feature i (classes 4 and 5: never the top-1)."""
    head = nn.Linear(n_features, n_classes)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.fill_(-5.0)
        head.weight[:n_features, :n_features] = torch.eye(n_features) * 10
    return head


UNSURE = torch.tensor([0.5])  # the heads' probability of their best fruit, under SURE_FRUIT


def unsure(n: int) -> torch.Tensor:
    return UNSURE.repeat(n)


def test_fruit_like_classes_and_threshold_come_from_the_fruit_photos() -> None:
    fruit = torch.cat([torch.tensor([[1.0, 0, 0, 0]]).repeat(600, 1), torch.tensor([[0, 1.0, 0, 0]]).repeat(400, 1)])
    fruit += torch.randn(1000, 4) * 0.05
    veto = fit_veto(imagenet_like(), [fruit], torch.tensor([0] * 600 + [1] * 400))
    assert veto.fruit_like.tolist() == [0, 1]
    assert (veto([fruit], unsure(1000)).float().mean() <= 1 - KEEP_TRAINING_FRUIT + 1e-6).item()
    assert veto.threshold_sure == veto.other_mass([fruit]).max().item()
    cat_and_rocket = torch.tensor([[0, 0, 1.0, 0], [0, 0, 0, 1.0]])
    assert veto([cat_and_rocket], unsure(2)).tolist() == [True, True]
    assert veto([cat_and_rocket], torch.ones(2)).tolist() == [True, True]  # however sure the heads are of a fruit


def veto_fitted_on_catlike_apples() -> ImageNetVeto:
    """Training fruit: apples with some of ImageNet class 2 ("cat") in them, and one with ~0.45 of the mass there."""
    fruit = torch.tensor([[1.0, 0, 0.8 + i / 10000, 0] for i in range(999)] + [[1.0, 0, 0.98, 0]])
    return fit_veto(imagenet_like(), [fruit], torch.zeros(1000, dtype=torch.long))


def test_when_the_heads_are_sure_of_a_fruit_the_veto_needs_more_than_any_training_fruit_had() -> None:
    veto = veto_fitted_on_catlike_apples()
    catlike_apple, cat = torch.tensor([[1.0, 0, 0.95, 0]]), torch.tensor([[1.0, 0, 1.1, 0]])
    assert veto.threshold < veto.other_mass([catlike_apple]).item() < veto.threshold_sure
    assert veto([catlike_apple], UNSURE).item() is True
    assert veto([catlike_apple], torch.tensor([SURE_FRUIT])).item() is False
    assert veto.other_mass([cat]).item() > veto.threshold_sure
    assert veto([cat], torch.tensor([SURE_FRUIT])).item() is True


def test_a_rare_fruit_brings_its_own_fruit_like_classes() -> None:
    """One photo in a thousand is too few to make ImageNet class 3 fruit-like, unless it is its fruit class's."""
    fruit = torch.tensor([[1.0, 0, 0, 0]] * 999 + [[0, 0, 0, 1.0]])
    assert fit_veto(imagenet_like(), [fruit], torch.zeros(1000, dtype=torch.long)).fruit_like.tolist() == [0]
    labels = torch.tensor([0] * 999 + [1])
    assert fit_veto(imagenet_like(), [fruit], labels).fruit_like.tolist() == [0, 3]


def test_with_two_looks_at_a_photo_the_veto_goes_by_their_average() -> None:
    # training fruit: plain apples, and apples with a little of ImageNet class 2 ("cat") in them
    fruit = torch.tensor([[1.0, 0, 0, 0]] * 50 + [[1.0, 0, 0.95, 0]] * 50)
    veto = fit_veto(imagenet_like(), [fruit, fruit], torch.zeros(100, dtype=torch.long))
    assert veto.fruit_like.tolist() == [0] and 0.3 < veto.threshold < 0.45
    apple, cat, catlike_apple = (torch.tensor([row]) for row in ([1.0, 0, 0, 0], [0, 0, 1.0, 0], [1.0, 0, 1.05, 0]))
    assert veto([apple, apple], UNSURE).item() is False and veto([cat, cat], UNSURE).item() is True
    assert veto([catlike_apple, catlike_apple], UNSURE).item() is True  # ~0.62 of the mass elsewhere in both looks
    assert veto([apple, catlike_apple], UNSURE).item() is False  # ~0.31 on average


def test_raise_class_gives_the_vetoed_rows_to_that_class_only() -> None:
    logits = torch.tensor([[3.0, 1.0, 0.5], [3.0, 1.0, 0.5]])
    raised = raise_class(logits, torch.tensor([False, True]), 2)
    assert torch.equal(raised[0], logits[0])
    assert raised[1].argmax().item() == 2 and raised[1].softmax(0)[2] > 0.999
    assert torch.equal(raised[1, :2], logits[1, :2])


def pass_through(heads: list[nn.Module], sizes: list[int], veto: ImageNetVeto, **kw: Any) -> MultiScale:
    """A "body" passing the image through: pixel values are the features the veto and the heads see."""
    return MultiScale(nn.Identity(), nn.Identity(), heads, sizes, veto=veto, not_fruit=2, **kw).eval()


PHOTOS = torch.stack([torch.tensor([1.0, 0, 0, 0]), torch.tensor([0, 0, 1.0, 0])]).view(2, 4, 1, 1).expand(2, 4, 2, 2)


def test_the_model_averages_its_heads_and_applies_the_veto_to_its_looks() -> None:
    fruit = torch.tensor([[1.0, 0, 0, 0]]).repeat(10, 1)
    veto = fit_veto(imagenet_like(), [fruit, fruit], torch.zeros(10, dtype=torch.long))
    heads = [nn.Linear(4, 3) for _ in range(2)]
    model = pass_through(heads, [2, 1], veto)
    with torch.no_grad():
        probs = model(PHOTOS).softmax(dim=1)
        pooled = PHOTOS.mean(dim=(2, 3))  # a constant image looks the same at every size
        mean = torch.stack([head(pooled).softmax(dim=1) for head in heads]).mean(dim=0)
    assert torch.allclose(probs[0], mean[0], atol=1e-6)  # the fruit photo: the heads' mean probabilities
    assert probs[1, 2] > 0.999  # the "cat": vetoed


def test_the_tuned_tail_is_mixed_in_with_its_weight_and_the_temperature_applies_to_the_mix() -> None:
    fruit = torch.tensor([[1.0, 0, 0, 0]]).repeat(10, 1)
    veto = fit_veto(imagenet_like(), [fruit], torch.zeros(10, dtype=torch.long))
    head, tail_head = nn.Linear(4, 3), nn.Linear(4, 3)
    tuned = TunedTail(nn.Identity(), 4, 3)
    tuned.head = tail_head
    model = pass_through([head], [2], veto, tuned=tuned, tuned_weight=0.25, temperature=2.0)
    with torch.no_grad():
        pooled = PHOTOS[:1].mean(dim=(2, 3))
        mix = 0.75 * head(pooled).softmax(dim=1) + 0.25 * tail_head(pooled).softmax(dim=1)
        expected = (mix.log() / 2.0).softmax(dim=1)
        assert torch.allclose(model(PHOTOS[:1]).softmax(dim=1), expected, atol=1e-6)


def test_the_model_gives_the_veto_its_heads_best_fruit() -> None:
    veto = veto_fitted_on_catlike_apples()
    catlike_apple = torch.tensor([1.0, 0, 0.95, 0]).view(1, 4, 1, 1)  # between the veto's two thresholds

    def model(head_bias: list[float]) -> MultiScale:
        head = nn.Linear(4, 3)
        with torch.no_grad():
            head.weight.zero_()
            head.bias.copy_(torch.tensor(head_bias))
        return pass_through([head], [1], veto)

    with torch.no_grad():
        sure = model([5.0, 0, 0])(catlike_apple).softmax(dim=1)[0]  # the head: class 0 at ~0.99
        unsure = model([0.0, 0, 0])(catlike_apple).softmax(dim=1)[0]  # the head: a third each
    assert sure.argmax().item() == 0 and sure[0] > 0.98
    assert unsure[2] > 0.999  # vetoed


def test_the_veto_judges_the_looks_at_the_whole_photo_not_its_centre() -> None:
    """An apple on a tablecloth whose centre, close up, looks like a "cat" to ImageNet: the centre look is there to
    name the fruit; whether the photo shows fruit at all is judged on the whole of it."""
    photo = torch.zeros(1, 4, 4, 4)
    photo[:, 0] = 1.0  # apple everywhere ...
    photo[:, 0, 1:3, 1:3], photo[:, 2, 1:3, 1:3] = 0.0, 1.0  # ... but a "cat" in the centre 2x2
    whole, centre = photo.mean(dim=(2, 3)), photo[..., 1:3, 1:3].mean(dim=(2, 3))
    veto = fit_veto(imagenet_like(), [whole.repeat(10, 1)], torch.zeros(10, dtype=torch.long))  # training fruit look so
    assert veto([whole, centre], UNSURE).item() is True  # judged on both looks it would be vetoed
    model = pass_through([nn.Linear(4, 3), nn.Linear(4, 3)], [4, 2], veto, crops=[1.0, 0.5])
    with torch.no_grad():
        assert model(photo).softmax(dim=1)[0, 2] < 0.99
