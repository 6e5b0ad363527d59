"""The served model's looks at a photo (the whole of it, or its centre, at a look's size) and what its heads see of
each look."""

import pytest
import torch
from torch import nn

from classifier.config import Recipe
from classifier.multiscale import ImageNetInputs, linear_head, look, resized


def framed(side: int, inner: int) -> torch.Tensor:
    """A 1x1xSxS image: 1 in the centre `inner` square, 0 around it."""
    image = torch.zeros(1, 1, side, side)
    margin = (side - inner) // 2
    image[..., margin : margin + inner, margin : margin + inner] = 1.0
    return image


def test_a_centre_look_sees_only_the_centre_at_full_resolution() -> None:
    image = framed(8, 4)
    assert torch.equal(look(image, 8, 4, 0.5), torch.ones(1, 1, 4, 4))  # no resize: the pixels as they are
    assert torch.equal(look(image, 8, 2, 0.5), torch.ones(1, 1, 2, 2))  # the centre, then resized


def test_a_whole_look_resizes_the_whole_image_or_passes_it_through() -> None:
    image = framed(8, 4)
    assert torch.equal(look(image, 8, 8), image)
    assert torch.equal(look(image, 8, 4), resized(image, 4)) and look(image, 8, 4).mean() < 0.5


def test_a_recipe_gives_one_crop_per_look() -> None:
    assert Recipe(sizes=(32, 24), crops=(1.0, 0.75)).crops == (1.0, 0.75)
    with pytest.raises(ValueError, match="one crop"):
        Recipe(sizes=(32, 24), crops=(1.0,))
    with pytest.raises(ValueError, match="one crop"):
        Recipe(sizes=(32,), crops=(1.5,))
    with pytest.raises(ValueError, match="the whole photo"):  # the veto judges the looks at the whole photo
        Recipe(sizes=(32, 24), crops=(0.75, 1.0))


def test_a_head_with_imagenet_inputs_sees_the_features_and_imagenets_log_probabilities_of_them() -> None:
    torch.manual_seed(0)
    imagenet, pooled = nn.Linear(6, 4), torch.randn(3, 6)
    seen = ImageNetInputs(imagenet)(pooled)
    assert torch.equal(seen[:, :6], pooled)
    assert torch.allclose(seen[:, 6:], imagenet(pooled).log_softmax(dim=1))
    head = linear_head(6, 2, imagenet=imagenet).eval()
    assert head[1].num_features == 10 and head[-1].in_features == 10
    before = head(pooled)
    with torch.no_grad():
        imagenet.bias[0] += 5.0  # the head reads ImageNet's answer: change it and the head's answer changes
    assert not torch.allclose(head(pooled), before)
