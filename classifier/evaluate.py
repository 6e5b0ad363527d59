"""`python -m classifier evaluate`: accuracy, top-5, per-class and per-kind accuracy, verdicts, latency, plots."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path

from tqdm import tqdm

from classifier.config import DEFAULT_RULE, VerdictRule
from classifier.items import Item
from classifier.labels import NOT_FRUIT, label_for
from classifier.plots import plot_confusion, plot_top_losses
from classifier.predict import Guess, Predictor, Verdict, fruit_guesses, group_by_name, verdict_for
from classifier.results import EvalReport, Scored


def kind(label: str) -> str:
    """The kind of fruit a class is (labels.yaml): "Apple Golden 1" -> "Apple", "Maracuja" -> "Passion"."""
    return label_for(label).kind


def names_right_kind(guesses: list[Guess], label: str, rule: VerdictRule = DEFAULT_RULE) -> bool:
    """The bot's first answer (`guesses`: grouped, best first) names the kind of a fruit photo of class `label`;
    a photo called not-a-fruit (by `rule`) is a miss."""
    fruits = fruit_guesses(guesses)
    return verdict_for(guesses, rule) is not Verdict.NOT_FRUIT and bool(fruits) and kind(fruits[0].label) == kind(label)


def score(predictor: Predictor, items: list[Item]) -> tuple[list[Scored], float]:
    """Class probabilities of every item, and the mean seconds per image (decode included)."""
    scored, started = [], time.perf_counter()
    for path, label in tqdm(items, desc="evaluate", unit="img"):
        scored.append(Scored(path, label, predictor.probabilities(path.read_bytes())))
    return scored, (time.perf_counter() - started) / max(len(items), 1)


def report(
    vocab: list[str],
    scored: list[Scored],
    seconds_per_image: float,
    unknown: list[str],
    rule: VerdictRule = DEFAULT_RULE,
) -> EvalReport:
    """Naming metrics over the fruit items, verdict metrics (by `rule`) over all (labels the model knows).

    Measured as the bot answers: a fruit photo given verdict `not_fruit` is named wrongly (the bot says "that
    doesn't look like a fruit"). Exact class and top-k rank the model's fruit classes; the kind is that of the
    bot's first answer, the display name with the most probability once classes sharing it are summed.
    """
    hits, top3, top5, kinds, per_class = 0, 0, 0, 0, defaultdict(list)
    verdicts: dict[bool, Counter[Verdict]] = {True: Counter(), False: Counter()}  # is_not_fruit -> verdict counts
    fruit_indices = [i for i, label in enumerate(vocab) if label != NOT_FRUIT]
    for s in scored:
        guesses = group_by_name(vocab, s.probs)  # what the bot answers, best first
        verdict = verdict_for(guesses, rule)
        verdicts[s.label == NOT_FRUIT][verdict] += 1
        if s.label == NOT_FRUIT:
            continue
        named = [] if verdict is Verdict.NOT_FRUIT else sorted(fruit_indices, key=lambda i: -s.probs[i])[:5]
        ranked = [vocab[i] for i in named]
        hits += ranked[:1] == [s.label]
        top3 += s.label in ranked[:3]
        top5 += s.label in ranked
        kinds += names_right_kind(guesses, s.label, rule)
        per_class[s.label].append(ranked[:1] == [s.label])
    neg, pos = verdicts[True], verdicts[False]
    n = max(pos.total(), 1)
    return EvalReport(
        n=pos.total(),
        n_not_fruit=neg.total(),
        accuracy=hits / n,
        top3=top3 / n,
        top5=top5 / n,
        kind_accuracy=kinds / n,
        per_class={label: sum(v) / len(v) for label, v in sorted(per_class.items())},
        not_fruit_rejected=neg[Verdict.NOT_FRUIT] / neg.total() if neg.total() else None,
        fruit_kept=1 - pos[Verdict.NOT_FRUIT] / pos.total() if pos.total() else None,
        mean_latency_ms=seconds_per_image * 1000,
        unknown_classes=unknown,
    )


def evaluate(predictor: Predictor, items: list[Item], plots_prefix: Path | None = None) -> EvalReport:
    """Score `items` (labels unknown to the model are reported and skipped) and optionally save the plots."""
    known = set(predictor.vocab)
    unknown = sorted({label for _, label in items if label not in known})
    scored, seconds = score(predictor, [(p, label) for p, label in items if label in known])
    if plots_prefix is not None:
        plot_confusion(predictor.vocab, scored, plots_prefix.with_name(plots_prefix.name + ".confusion.png"))
        plot_top_losses(predictor.vocab, scored, plots_prefix.with_name(plots_prefix.name + ".top_losses.png"))
    return report(predictor.vocab, scored, seconds, unknown, predictor.rule)
