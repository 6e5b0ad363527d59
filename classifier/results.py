"""What training, evaluation and cross-validation report: plain dataclasses (no fastai, no torch), shared by the
commands, the model card and the plots."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from classifier.config import DEFAULT_RULE, VerdictRule


@dataclass
class Scored:
    """One photo, its true class and the model's class probabilities (in the model's vocab order)."""

    path: Path
    label: str
    probs: list[float]


@dataclass
class HeldOut:
    """Every held-out real photo of a crossval with its calibrated probabilities (in `vocab` order), the verdict
    rule chosen on them and each photo's fold (so that a rule can be checked on folds it was not chosen on), as
    `crossval --held-out` stores it."""

    vocab: list[str]
    photos: list[Scored]
    rule: VerdictRule = DEFAULT_RULE
    folds: list[int] = field(default_factory=list)  # per photo, in `photos` order; empty: not known

    def write(self, path: Path) -> None:
        photos = [{"path": str(s.path), "label": s.label, "probs": s.probs} for s in self.photos]
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = {"vocab": self.vocab, "rule": asdict(self.rule), "photos": photos, "folds": self.folds}
        path.write_text(json.dumps(saved), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> HeldOut:
        saved = json.loads(path.read_text(encoding="utf-8"))
        photos = [Scored(Path(p["path"]), p["label"], p["probs"]) for p in saved["photos"]]
        return cls(saved["vocab"], photos, VerdictRule(**saved["rule"]), saved.get("folds", []))

    def at_temperature_one(self, temperature: float) -> HeldOut:
        """The same predictions as a model fitted with temperature 1 gives them (p ∝ p_calibrated ** temperature):
        what a model trained without `--calibration` serves, with the default rule."""
        photos = []
        for s in self.photos:
            powered = [p**temperature for p in s.probs]
            total = sum(powered)
            photos.append(Scored(s.path, s.label, [p / total for p in powered]))
        return HeldOut(self.vocab, photos, DEFAULT_RULE, self.folds)


@dataclass
class EvalReport:
    n: int  # fruit images: accuracy, top-k and kind are measured on these
    n_not_fruit: int  # not-a-fruit images: only the verdict is measured on these
    accuracy: float
    top3: float
    top5: float
    kind_accuracy: float
    per_class: dict[str, float]
    not_fruit_rejected: float | None  # share of not-a-fruit images given verdict not_fruit
    fruit_kept: float | None  # share of fruit images NOT given verdict not_fruit
    mean_latency_ms: float
    unknown_classes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TrainReport:
    out: Path
    served: Path  # the ONNX file the bot serves, beside fastai's export `out`
    arch: str
    size: int
    epochs: int
    lr: float
    n_items: int
    n_classes: int
    valid_accuracy: float
    seconds: float
    weights: str
    recipe: dict[str, Any] | None = None  # the frozen-body recipe (classifier.recipe.Recipe); None: fine_tune
    sources: dict[str, int] = field(default_factory=dict)  # images per source: studio, grocery, everyday
    n_backgrounds: int = 0
    plots: list[Path] = field(default_factory=list)


@dataclass
class CalibrationReport:
    temperature: float
    ece_before: float  # expected calibration error of the first answer, before temperature scaling
    ece_after: float
    rule: VerdictRule  # chosen on the calibrated held-out predictions (classifier/rule_choice.py)
    risk_coverage: list[dict[str, Any]]  # by `rule`, rows: answers of one kind, how many, how many of the right kind
    rule_check: dict[str, int]  # each fold answered by the rule chosen on the others (rule_choice.Answers)


@dataclass
class CrossValReport:
    folds: int
    protocol: str
    training_photos: list[int]  # the real photos each fold's model was fitted on
    per_source: dict[str, EvalReport]  # held-out figures per source of real photos, and all together
    calibration: CalibrationReport
    per_class_kind: dict[str, tuple[int, int]]  # class -> (right kind first, photos)
    seconds: float
    recipe: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
