"""Interpretation plots for an evaluation: a confusion matrix and the top losses."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from PIL import Image

from classifier.results import Scored


def plot_confusion(vocab: list[str], scored: list[Scored], path: Path) -> Path:
    """Rows: true classes present in the data; columns: predicted classes that occur."""
    pairs = [(s.label, vocab[max(range(len(vocab)), key=lambda i: s.probs[i])]) for s in scored]
    rows = sorted({t for t, _ in pairs})
    cols = sorted({p for _, p in pairs} | set(rows))
    counts = [[sum(1 for t, p in pairs if t == r and p == c) for c in cols] for r in rows]
    size = max(6, 0.18 * len(cols))
    fig, ax = plt.subplots(figsize=(size, max(4, 0.18 * len(rows))))
    ax.imshow(counts, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=6)
    ax.set_yticks(range(len(rows)), rows, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("actual")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_top_losses(vocab: list[str], scored: list[Scored], path: Path, k: int = 9) -> Path:
    """The `k` images with the lowest probability for their true class, with prediction and truth."""
    worst = sorted(scored, key=lambda s: s.probs[vocab.index(s.label)])[:k]
    side = max(1, math.ceil(math.sqrt(len(worst))))
    fig, axes = plt.subplots(side, side, figsize=(3 * side, 3 * side), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, s in zip(axes.flat, worst, strict=False):
        best = max(range(len(vocab)), key=lambda i: s.probs[i])
        ax.imshow(Image.open(s.path).convert("RGB"))
        ax.set_title(f"{vocab[best]} {s.probs[best]:.2f}\ntrue: {s.label}", fontsize=7)
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    return path
