"""Confidence that means something: temperature scaling fitted on held-out predictions, the expected calibration
error, and a risk-coverage table of the bot's three kinds of answer."""

from __future__ import annotations

from math import comb
from typing import Any

import torch

from classifier.config import VerdictRule
from classifier.labels import NOT_FRUIT, label_for
from classifier.predict import Verdict, group_by_name, verdict_for
from classifier.results import Scored
from classifier.rule_choice import shown_right

BINS = 15


def fit_temperature(log_probs: torch.Tensor, targets: torch.Tensor) -> float:
    """The T that minimises the negative log-likelihood of softmax(log_probs / T) (one parameter, LBFGS)."""
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def loss() -> torch.Tensor:
        optimizer.zero_grad()
        value = torch.nn.functional.cross_entropy(log_probs / log_t.exp(), targets)
        value.backward()
        return value

    optimizer.step(loss)
    return float(log_t.exp().item())


def expected_calibration_error(scored: list[Scored], vocab: list[str]) -> float:
    """How far the bot's confidence in its first answer (a display name, classes sharing it summed) is from how
    often that answer is right, over BINS equal-width bins, weighted by photos per bin."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for s in scored:
        first = group_by_name(vocab, s.probs)[0]
        right = label_for(first.label).name == label_for(s.label).name
        bins[min(int(first.p * BINS), BINS - 1)].append((first.p, right))
    total = sum(len(b) for b in bins)
    return sum(abs(sum(p for p, _ in b) / len(b) - sum(r for _, r in b) / len(b)) * len(b) / total for b in bins if b)


def risk_coverage(scored: list[Scored], vocab: list[str], rule: VerdictRule) -> list[dict[str, Any]]:
    """The bot's answers by `rule`. For fruit photos: of the confident "it is X" answers, how many name the right
    kind; of the "not sure" answers, how often the right kind is among the two guesses shown; and how many were
    called not a fruit. For not-a-fruit photos: how many the bot rejected, or named a fruit anyway."""
    counts: dict[str, list[int]] = {}
    for s in scored:
        guesses = group_by_name(vocab, s.probs)
        verdict = verdict_for(guesses, rule)
        if s.label == NOT_FRUIT:
            row, right = f"not-a-fruit photo, answer {verdict.value}", verdict is Verdict.NOT_FRUIT
        else:
            row, right = f"fruit photo, answer {verdict.value}", shown_right(s.label, guesses, verdict)
        counts.setdefault(row, [0, 0])
        counts[row][0] += 1
        counts[row][1] += right
    fruit_total = sum(n for row, (n, _) in counts.items() if row.startswith("fruit")) or 1
    return [
        {"answers": row, "photos": n, "right": right, "share_of_fruit_photos": n / fruit_total}
        for row, (n, right) in sorted(counts.items())
    ]


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value for two models scored on the same photos: `only_a` photos right with A
    only, `only_b` with B only (under "no difference" each such photo is a fair coin)."""
    n = only_a + only_b
    tail = sum(comb(n, i) for i in range(min(only_a, only_b) + 1))
    return min(1.0, 2 * tail / 2**n)
