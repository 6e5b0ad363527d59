"""The ONNX file the bot serves: the network's padding written as numbers, the logits unchanged."""

from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper
from timm.layers import Conv2dSame
from torch import nn

from classifier.backends import OnnxModel
from classifier.onnx_export import INPUT, export_onnx, fix_padding

STATS = ((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))


def same_padded_net() -> nn.Module:
    """Two strided convolutions with TensorFlow's "same" padding (as timm's tf_ EfficientNets have): at 30 px the
    first pads 30 -> 15 by (0, 1), the second 15 -> 8 by (2, 2)."""
    torch.manual_seed(0)
    return nn.Sequential(
        Conv2dSame(3, 4, 3, stride=2),
        nn.ReLU(),
        Conv2dSame(4, 5, 5, stride=2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
    ).eval()


def test_the_served_file_pads_by_numbers_and_computes_what_the_network_does(tmp_path: Path) -> None:
    net = same_padded_net()
    path = export_onnx(net, tmp_path / "net.onnx", ["a", "b", "c", "d", "e"], 30, STATS)
    graph = onnx.load(path).graph
    constants = {tensor.name for tensor in graph.initializer}
    pads = [node for node in graph.node if node.op_type == "Pad"]
    assert len(pads) == 2 and all(node.input[1] in constants for node in pads)
    assert not any(node.op_type == "Shape" for node in graph.node)  # the shape arithmetic is gone with its use
    model = OnnxModel(path)
    for batch in (1, 3):
        images = np.random.default_rng(batch).normal(size=(batch, 3, 30, 30)).astype(np.float32)
        with torch.no_grad():
            expected = net(torch.from_numpy(images)).numpy()
        assert model.logits(images) == pytest.approx(expected, abs=1e-3)  # weights travel as float16


def test_padding_that_depends_on_the_photos_is_refused() -> None:
    """Padding by the batch size (not the input's fixed side) has no one number to be written as."""
    image = helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["batch", 3, 4, 4])
    padded = helper.make_tensor_value_info("padded", TensorProto.FLOAT, None)
    nodes = [
        helper.make_node("Shape", [INPUT], ["shape"], start=0, end=1),
        helper.make_node("Constant", [], ["zeros"], value=helper.make_tensor("z", TensorProto.INT64, [7], [0] * 7)),
        helper.make_node("Concat", ["zeros", "shape"], ["pads"], axis=0),
        helper.make_node("Pad", [INPUT, "pads"], ["padded"]),
    ]
    model = helper.make_model(
        helper.make_graph(nodes, "by_batch", [image], [padded]), opset_imports=[helper.make_opsetid("", 17)]
    )
    with pytest.raises(ValueError, match="depends on the photos"):
        fix_padding(model, 4)
