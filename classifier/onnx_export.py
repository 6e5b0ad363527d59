"""Write a trained model as the ONNX file the bot serves: half-size on disk, float32 at run time, its padding fixed,
self-describing."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper

from classifier.multiscale import crops_of, rule_of, sizes_of
from classifier.preprocess import Stats

INPUT, OUTPUT = "image", "logits"
SMALLEST_HALVED = 64  # float tensors with fewer elements (scalars, shapes) stay float32


def export_onnx(model: torch.nn.Module, path: Path, vocab: list[str], size: int, stats: Stats) -> Path:
    """Export `model` (eval mode, 1x3xSxS normalised input, logits out) to `path` for ONNX Runtime.

    Weights are stored as float16 and cast back to float32 when the session is created (ONNX Runtime folds the
    casts), so the file is half the size of fastai's export and runs exactly as fast. The "same" padding of the
    strided convolutions is written as the numbers it comes to (`fix_padding`). The classes, input size, looks,
    normalisation and verdict rule travel in the file's metadata, so serving needs nothing else.
    """
    buffer = io.BytesIO()
    torch.onnx.export(
        model.eval(),
        (torch.zeros(1, 3, size, size),),
        buffer,
        input_names=[INPUT],
        output_names=[OUTPUT],
        dynamic_axes={INPUT: {0: "batch"}, OUTPUT: {0: "batch"}},
        dynamo=False,
    )
    graph = onnx.load_from_string(buffer.getvalue())
    store_weights_as_float16(graph.graph)
    fix_padding(graph, size)
    mean, std = stats
    metadata = {
        "vocab": json.dumps(vocab),
        "size": str(size),
        "sizes": json.dumps(sizes_of(model, size)),
        "crops": json.dumps(crops_of(model)),
        "rule": json.dumps(asdict(rule_of(model))),
        "mean": json.dumps(mean),
        "std": json.dumps(std),
    }
    onnx.helper.set_model_props(graph, metadata)
    onnx.checker.check_model(graph)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(graph, path)
    return path


def store_weights_as_float16(graph: onnx.GraphProto) -> None:
    """Replace each large float32 initializer by a float16 one and a Cast back to float32 under the old name."""
    casts = []
    for index, tensor in enumerate(graph.initializer):
        if tensor.data_type != TensorProto.FLOAT or np.prod(tensor.dims) < SMALLEST_HALVED:
            continue
        weights = numpy_helper.to_array(tensor)
        if np.abs(weights).max() > np.finfo(np.float16).max:
            continue
        half = numpy_helper.from_array(weights.astype(np.float16), tensor.name + "_fp16")
        casts.append(helper.make_node("Cast", [half.name], [tensor.name], to=TensorProto.FLOAT))
        graph.initializer[index].CopyFrom(half)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)


def fix_padding(model: onnx.ModelProto, size: int) -> None:
    """Replace the padding each Pad node computes from the shapes of its input by the numbers it comes to.

    TensorFlow's "same" padding (timm's tf_ models pad their strided convolutions so) depends on the size of the
    tensor it pads, and the export traces that as shape arithmetic run on every photo. The input's side is fixed
    (`size`), so every such padding is a constant: written as one, ONNX Runtime merges each Pad into the
    convolution after it and the photo skips ten copies and the layout changes around them (about a fifth of the
    classify time, models/EXPERIMENTS.md §26). The logits are bit for bit the same.
    """
    graph = model.graph
    constants = {tensor.name for tensor in graph.initializer}
    pads = [node for node in graph.node if node.op_type == "Pad" and node.input[1] not in constants]
    computed = sorted({node.input[1] for node in pads})
    if not computed:
        return
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.extend(helper.make_tensor_value_info(name, TensorProto.INT64, None) for name in computed)
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    first, second = (
        session.run(computed, {INPUT: rng.normal(size=(batch, 3, size, size)).astype(np.float32)}) for batch in (1, 2)
    )
    for name, values, again in zip(computed, first, second, strict=True):
        if not np.array_equal(values, again):
            raise ValueError(f"the padding {name} depends on the photos, not only on the input size")
        graph.initializer.append(numpy_helper.from_array(values, name + "_fixed"))
    for node in pads:
        node.input[1] += "_fixed"
    prune(graph)


def prune(graph: onnx.GraphProto) -> None:
    """Drop the nodes no graph output needs (and then initializers no node reads), keeping the others' order."""
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(graph.node):
        if any(name in needed for name in node.output):
            kept.append(node)
            needed.update(node.input)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    initializers = [tensor for tensor in graph.initializer if tensor.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
