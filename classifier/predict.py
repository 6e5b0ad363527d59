"""The predict API the action server imports: load once, predict many (thread-safe), top-k and a verdict."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from classifier.backends import open_model
from classifier.config import DEFAULT_RULE, VerdictRule
from classifier.labels import NOT_FRUIT, label_for
from classifier.preprocess import open_image, to_array

MODELS = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = MODELS / "fruits.onnx"  # what the bot serves; `train` writes it beside fastai's export
DEFAULT_EXPORT = MODELS / "fruits.pkl"  # fastai's export of the same model

# The verdict rule (classifier/config.py's VerdictRule) is the model's own: the ONNX file carries the one chosen with
# its temperature (classifier/rule_choice.py). The ImageNet veto (classifier/veto.py) acts inside the model: a vetoed
# photo's reject class gets ~all the probability. `benchmarks/verdict_rule.py` prints how the thresholds trade fruit
# kept against non-fruit rejected; the defaults' history: models/EXPERIMENTS.md ("The verdict rule's thresholds").


class Verdict(str, Enum):
    FRUIT = "fruit"
    UNSURE = "unsure"
    NOT_FRUIT = "not_fruit"


@dataclass(frozen=True)
class Guess:
    label: str  # the model's class (the most probable one among those sharing `name`)
    name: str  # display name
    p: float  # summed probability of all classes with this display name
    wiki: str | None


@dataclass(frozen=True)
class Prediction:
    verdict: Verdict
    top: tuple[Guess, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "top": [{k: v for k, v in asdict(g).items() if k != "wiki"} for g in self.top],
        }


def group_by_name(vocab: list[str], probs: list[float]) -> list[Guess]:
    """Sum the probabilities of classes a person would call the same, best first."""
    groups: dict[str, Guess] = {}
    for key, p in sorted(zip(vocab, probs, strict=True), key=lambda kp: -kp[1]):
        label = label_for(key)
        seen = groups.get(label.name)
        groups[label.name] = (
            Guess(key, label.name, p, label.wiki)
            if seen is None
            else Guess(seen.label, seen.name, seen.p + p, seen.wiki)
        )
    return sorted(groups.values(), key=lambda g: -g.p)


def fruit_guesses(guesses: list[Guess]) -> list[Guess]:
    """The grouped guesses that name a fruit (the reject class left out), best first: what the bot offers."""
    return [g for g in guesses if g.label != NOT_FRUIT]


def verdict_for(guesses: list[Guess], rule: VerdictRule = DEFAULT_RULE) -> Verdict:
    """Apply the verdict rule (classifier/config.py) to grouped guesses."""
    fruits = fruit_guesses(guesses)
    not_fruit = sum(g.p for g in guesses if g.label == NOT_FRUIT)
    if not_fruit >= rule.not_fruit_from or not fruits or fruits[0].p < rule.fruit_below:
        return Verdict.NOT_FRUIT
    return Verdict.FRUIT if fruits[0].p >= rule.fruit_from else Verdict.UNSURE


class Predictor:
    """A model file (the ONNX file the bot serves, or fastai's export), loaded once; `predict` may be called from
    many threads at once."""

    def __init__(self, model_path: Path = DEFAULT_MODEL, top_k: int = 3) -> None:
        self.model = open_model(model_path)
        self.vocab = self.model.vocab
        self.size = self.model.size
        self.stats = self.model.stats
        self.rule = self.model.rule
        self.top_k = top_k
        self.version = f"{model_path.stem}-{hashlib.sha256(model_path.read_bytes()).hexdigest()[:12]}"

    def probabilities(self, image: bytes | Image.Image) -> list[float]:
        """Softmax over the model's classes for one image."""
        logits = self.model.logits(to_array(open_image(image), self.size, self.stats))[0].astype(np.float64)
        exp = np.exp(logits - logits.max())
        probabilities: list[float] = (exp / exp.sum()).tolist()
        return probabilities

    def predict(self, image: bytes | Image.Image) -> Prediction:
        """Top-k display names with probabilities, and the verdict."""
        guesses = group_by_name(self.vocab, self.probabilities(image))
        return Prediction(verdict=verdict_for(guesses, self.rule), top=tuple(fruit_guesses(guesses)[: self.top_k]))

    def warm_up(self) -> None:
        """Run one inference so that the first user does not pay for lazy initialisation."""
        self.predict(Image.new("RGB", (self.size, self.size), "white"))
