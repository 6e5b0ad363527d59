"""`python -m classifier crossval`: the honest figure for photos nobody here chose.

Protocol: the real photos (Grocery Store train, fruit and not; the everyday non-fruit photos) are split into `k`
folds by look (classifier/folds.py: a fold is a new session). For each fold the whole recipe (heads, tuned tail,
veto) is fitted on the studio shots and the other folds' real photos, and predicts the held-out fold from the
body's cached features, as the served model would. The held-out predictions of all folds give the figures (per
source, with Wilson intervals), fit the temperature, choose the verdict rule (classifier/rule_choice.py; checked
with each fold answered by the rule chosen on the others), and give the calibration error and the risk-coverage
table.
Grocery Store val is not touched here: it is evaluated once, at the end, for the model card.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch

from classifier.calibration import expected_calibration_error, fit_temperature, risk_coverage
from classifier.config import Recipe, VerdictRule
from classifier.evaluate import names_right_kind, report
from classifier.folds import look_folds
from classifier.items import TrainingSet
from classifier.labels import NOT_FRUIT
from classifier.predict import group_by_name
from classifier.recipe import fit, held_out_log_probs
from classifier.results import CalibrationReport, CrossValReport, HeldOut, Scored
from classifier.rule_choice import CONFIDENT_RIGHT, choose_rule, cross_checked, grouped
from classifier.train import Prepared, not_fruit_index, prepare

PROTOCOL = (
    "{k}-fold cross-validation over the real photos, folds grouped by look (each class's photos clustered on the "
    "frozen body's features, whole clusters per fold: a fold is a new session); every fold's model fitted on the "
    "studio shots and {fitted_on}; figures, temperature and calibration from the held-out predictions only"
)


def fitting_folds(fold: int, k: int, m: int | None = None) -> list[int]:
    """The folds whose real photos fit the model that names `fold`: all the others, or (for a learning curve over
    sessions, `m` of k-1) the `m` that follow it, round the circle, so that each fold fits `m` models."""
    others = [(fold + step) % k for step in range(1, k)]
    if m is None:
        return others
    if not 1 <= m <= k - 1:
        raise ValueError(f"a model can be fitted on 1 to {k - 1} of the other folds, not {m}")
    return others[:m]


def crossval(
    training: TrainingSet,
    recipe: Recipe,
    k: int = 5,
    arch: str = "tf_efficientnet_lite0",
    weights: Path | None = None,
    seed: int = 42,
    backgrounds: list[Path] | None = None,
    cache_dir: Path | None = None,
    confident_right: float = CONFIDENT_RIGHT,
    training_folds: int | None = None,
) -> tuple[CrossValReport, HeldOut]:
    started = time.monotonic()
    prepared = prepare(training, recipe, arch, weights, seed=seed, backgrounds=backgrounds, cache_dir=cache_dir)
    vocab = list(prepared.learn.dls.vocab)
    real_rows = torch.nonzero(prepared.real).flatten()
    fold = fold_of(prepared, real_rows, k, recipe.sizes[-1])
    studio_rows = torch.nonzero(~prepared.real).flatten()
    uncalibrated = replace(recipe, temperature=1.0)
    before = torch.zeros(len(prepared.items), len(vocab))  # held-out log-probabilities, before the veto
    models = {}
    fitted_on = []  # real photos per fold's model
    for f in range(k):
        held = real_rows[fold == f]
        fitting = real_rows[torch.isin(fold, torch.tensor(fitting_folds(f, k, training_folds)))]
        fitted_on.append(len(fitting))
        train_rows = torch.cat([studio_rows, fitting])
        fitted = fit(
            prepared.front,
            prepared.back,
            prepared.bank,
            train_rows,
            prepared.real,
            prepared.valid[recipe.sizes[0]],
            vocab,
            uncalibrated,
            prepared.imagenet,
            not_fruit_index(vocab),
        )
        before[held] = held_out_log_probs(fitted.model, prepared.bank, held, veto=False)
        models[f] = fitted.model
    temperature = fit_temperature(before[real_rows], prepared.bank.targets[real_rows])
    after = torch.zeros_like(before)
    for f, model in models.items():
        held = real_rows[fold == f]
        model.temperature = temperature
        after[held] = held_out_log_probs(model, prepared.bank, held)
    scored = {row: scored_item(prepared, row, after[row].softmax(dim=0)) for row in real_rows.tolist()}
    uncal = [scored_item(prepared, row, before[row].softmax(dim=0)) for row in real_rows.tolist()]
    calibrated = list(scored.values())
    photos = grouped(calibrated, vocab)
    rule = choose_rule(photos, confident_right)
    folds = fold.tolist()  # per photo, in `calibrated` order
    sources = training.source_of()
    by_source: dict[str, list[Scored]] = defaultdict(list)
    for row, s in scored.items():
        by_source[sources[prepared.items[row]]].append(s)
        by_source["all real photos"].append(s)
    result = CrossValReport(
        folds=k,
        protocol=PROTOCOL.format(
            k=k,
            fitted_on=f"{training_folds} of the other folds (the ones after it)"
            if training_folds
            else "the other folds",
        ),
        training_photos=fitted_on,
        per_source={name: report(vocab, rows, 0.0, [], rule) for name, rows in sorted(by_source.items())},
        calibration=CalibrationReport(
            temperature=temperature,
            ece_before=expected_calibration_error([s for s in uncal if s.label != NOT_FRUIT], vocab),
            ece_after=expected_calibration_error([s for s in calibrated if s.label != NOT_FRUIT], vocab),
            rule=rule,
            risk_coverage=risk_coverage(calibrated, vocab, rule),
            rule_check=asdict(cross_checked(photos, folds, confident_right)),
        ),
        per_class_kind=per_class_kind(calibrated, vocab, rule),
        seconds=time.monotonic() - started,
        recipe=replace(recipe, temperature=temperature, rule=rule).to_json(),
    )
    return result, HeldOut(vocab, calibrated, rule, folds)


def fold_of(prepared: Prepared, real_rows: torch.Tensor, k: int, size: int) -> torch.Tensor:
    """The fold of each real photo (in `real_rows` order), clustered on its plain features at `size` px."""
    features = prepared.bank.pooled[0][size][real_rows].float().numpy()
    groups = [prepared.groups[row] for row in real_rows.tolist()]
    return torch.from_numpy(look_folds(np.asarray(features), groups, k))


def scored_item(prepared: Prepared, row: int, probs: torch.Tensor) -> Scored:
    path, label = prepared.items[row]
    return Scored(path, label, probs.tolist())


def per_class_kind(scored: list[Scored], vocab: list[str], rule: VerdictRule) -> dict[str, tuple[int, int]]:
    """Per fruit class: (photos whose first answer names the right kind, photos)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in scored:
        if s.label == NOT_FRUIT:
            continue
        counts[s.label][0] += names_right_kind(group_by_name(vocab, s.probs), s.label, rule)
        counts[s.label][1] += 1
    return {label: (right, n) for label, (right, n) in sorted(counts.items())}
