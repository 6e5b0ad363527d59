"""The verdict rule a calibrated model answers by, chosen on the cross-validated held-out predictions of real
photos, and checked the honest way: each fold answered by the rule chosen on the other folds.

The reject thresholds (`not_fruit_from`, `fruit_below`) maximise fruit photos kept plus not-a-fruit photos rejected
(each as a share of its own photos); `fruit_from`, the confidence from which the bot says "it is X" instead of
offering two guesses, is the lowest on the grid at which the one-sided 95 % Wilson lower bound of the share of those
answers that name the right kind reaches `confident_right`. The lowest threshold at which the share itself reaches
it was chosen by luck as often as by merit: checked on folds it was not chosen on, it fell short every time
(models/EXPERIMENTS.md §15–§18); the bound asks each threshold to prove itself on enough photos.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import product

from classifier.config import VerdictRule
from classifier.intervals import ONE_SIDED_95, wilson
from classifier.labels import NOT_FRUIT, label_for
from classifier.predict import Guess, Verdict, fruit_guesses, group_by_name, verdict_for
from classifier.results import Scored

NOT_FRUIT_FROM = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
FRUIT_BELOW = (0.01, 0.02, 0.05, 0.1)
FRUIT_FROM = tuple(round(0.5 + 0.01 * i, 2) for i in range(50))  # 0.50 … 0.99
CONFIDENT_RIGHT = 0.95  # issue 15: of the confident answers, the share that must name the right kind


@dataclass
class Answers:
    """How the bot answered photos under one rule: fruit photos kept, named the right kind first, answered
    confidently (and right), answered "not sure" (and the right kind among the two guesses shown); not-a-fruit
    photos rejected."""

    fruit: int = 0
    kept: int = 0
    right_kind: int = 0
    confident: int = 0
    confident_right: int = 0
    unsure: int = 0
    unsure_right: int = 0
    not_fruit: int = 0
    rejected: int = 0

    def __add__(self, other: Answers) -> Answers:
        return Answers(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def balanced(self) -> float:
        """Fruit kept plus not-a-fruit rejected, each a share of its own photos."""
        return self.kept / max(self.fruit, 1) + self.rejected / max(self.not_fruit, 1)


Grouped = list[tuple[str, list[Guess]]]  # (true class, the grouped guesses) per photo


def shown_right(label: str, guesses: list[Guess], verdict: Verdict) -> bool:
    """A fruit photo of class `label`: the right kind is among the guesses the bot shows for `verdict` (one for
    "it is X", two for "not sure", none for not-a-fruit)."""
    shown = {Verdict.FRUIT: 1, Verdict.UNSURE: 2, Verdict.NOT_FRUIT: 0}[verdict]
    return any(label_for(g.label).kind == label_for(label).kind for g in fruit_guesses(guesses)[:shown])


def answers(photos: Grouped, rule: VerdictRule) -> Answers:
    tally = Answers()
    for label, guesses in photos:
        verdict = verdict_for(guesses, rule)
        if label == NOT_FRUIT:
            tally.not_fruit += 1
            tally.rejected += verdict is Verdict.NOT_FRUIT
            continue
        tally.fruit += 1
        if verdict is Verdict.NOT_FRUIT:
            continue
        tally.kept += 1
        tally.right_kind += shown_right(label, guesses, Verdict.FRUIT)  # the first answer, whatever the wording
        if verdict is Verdict.FRUIT:
            tally.confident += 1
            tally.confident_right += shown_right(label, guesses, verdict)
        else:
            tally.unsure += 1
            tally.unsure_right += shown_right(label, guesses, verdict)
    return tally


def grouped(scored: list[Scored], vocab: list[str]) -> Grouped:
    return [(s.label, group_by_name(vocab, s.probs)) for s in scored]


def choose_rule(photos: Grouped, confident_right: float = CONFIDENT_RIGHT) -> VerdictRule:
    """The rule described above, chosen on `photos`."""
    reject = max(
        (VerdictRule(n, b) for n, b in product(NOT_FRUIT_FROM, FRUIT_BELOW)),
        key=lambda r: answers(photos, r).balanced(),
    )
    for fruit_from in FRUIT_FROM:
        rule = VerdictRule(reject.not_fruit_from, reject.fruit_below, fruit_from)
        tally = answers(photos, rule)
        if wilson(tally.confident_right, tally.confident, ONE_SIDED_95)[0] >= confident_right:
            return rule
    return rule


def cross_checked(photos: Grouped, folds: list[int], confident_right: float = CONFIDENT_RIGHT) -> Answers:
    """The answers on each fold under the rule chosen on the others, summed: what the rule does on new photos."""
    total = Answers()
    for fold in sorted(set(folds)):
        rest = [photo for photo, f in zip(photos, folds, strict=True) if f != fold]
        held = [photo for photo, f in zip(photos, folds, strict=True) if f == fold]
        total += answers(held, choose_rule(rest, confident_right))
    return total
