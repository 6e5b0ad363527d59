"""The two ways a model file runs: the ONNX file the bot serves (ONNX Runtime) and fastai's export (PyTorch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from classifier.config import VerdictRule
from classifier.preprocess import Stats


class Model(Protocol):
    vocab: list[str]  # class names, in the order of the logits
    size: int  # square input size in px
    sizes: list[int]  # the sizes it looks at the photo at (the input size first; more for `MultiScale`)
    crops: list[float]  # per look: the share of the input's side it sees (its centre)
    stats: Stats  # per-channel normalisation of the input
    rule: VerdictRule  # how its probabilities become the bot's answer (chosen with its temperature)

    def logits(self, batch: np.ndarray) -> np.ndarray:
        """Nx3xSxS float32 normalised images -> NxC float32 logits; safe to call from many threads at once."""
        ...


class OnnxModel:
    """An ONNX file written by `classifier.onnx_export` (classes, looks, normalisation and rule in its metadata).

    Needs neither PyTorch nor fastai: loads in well under a second and runs ~3x faster than eager PyTorch.
    """

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting between photos
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        metadata = self.session.get_modelmeta().custom_metadata_map
        self.vocab = json.loads(metadata["vocab"])
        self.size = int(metadata["size"])
        self.sizes = json.loads(metadata["sizes"])
        self.crops = json.loads(metadata["crops"])
        self.stats = (tuple(json.loads(metadata["mean"])), tuple(json.loads(metadata["std"])))
        self.rule = VerdictRule(**json.loads(metadata["rule"]))
        self.input = self.session.get_inputs()[0].name

    def logits(self, batch: np.ndarray) -> np.ndarray:
        logits: np.ndarray = self.session.run(None, {self.input: batch})[0]
        return logits


class FastaiModel:
    """fastai's `export` (a pickled Learner), run in eager PyTorch."""

    def __init__(self, path: Path) -> None:
        from fastai.learner import load_learner  # heavy import, only where such a model is loaded

        from classifier.multiscale import crops_of, rule_of, sizes_of

        learner = load_learner(path, cpu=True)
        self.module = learner.model.eval()
        self.vocab = list(learner.dls.vocab)
        self.size = image_size(learner)
        self.sizes = sizes_of(self.module, self.size)
        self.crops = crops_of(self.module)
        self.rule = rule_of(self.module)
        self.stats = normalize_stats(learner)

    def logits(self, batch: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            logits: np.ndarray = self.module(torch.from_numpy(batch)).numpy()
        return logits


def open_model(path: Path) -> Model:
    """The model in `path`: ONNX Runtime for `.onnx`, else fastai's `load_learner`."""
    return OnnxModel(path) if path.suffix == ".onnx" else FastaiModel(path)


def image_size(learner: Any) -> int:
    """The square input size the model was trained at (from its Resize item transform)."""
    for tfm in learner.dls.after_item.fs:
        if type(tfm).__name__ == "Resize":
            return int(tfm.size[0])
    raise ValueError("the exported model has no Resize item transform")


def normalize_stats(learner: Any) -> Stats:
    """The per-channel mean and std of the model's Normalize batch transform (identity when it has none)."""
    for tfm in learner.dls.after_batch.fs:
        if type(tfm).__name__ == "Normalize":
            return tuple(tfm.mean.flatten().tolist()), tuple(tfm.std.flatten().tolist())
    return (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
