"""Two recipes compared photo by photo on the same cross-validation folds: sharper than their two intervals.

    .venv/bin/python -m benchmarks.paired_crossval A.json B.json [--as-served T_A T_B]

A and B are held-out predictions written by `python -m classifier crossval --held-out` for the same real photos
(the folds are clustered on the un-augmented features of the last look, so recipes that share the body and that
look, its size and crop, share them; otherwise the photos are the same and the folds close, not equal). Prints how many
fruit photos each names the right kind first, how many only one of them does, the exact McNemar p-value, and the
classes that moved most; each file answered by the verdict rule chosen with it. `--as-served` re-scores each file at
temperature 1 from the temperatures its crossval report fitted, with the default rule, as models trained without
`--calibration` serve them.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from classifier.calibration import mcnemar_exact
from classifier.evaluate import names_right_kind
from classifier.labels import NOT_FRUIT
from classifier.predict import group_by_name
from classifier.results import HeldOut


@dataclass
class Paired:
    n: int  # fruit photos scored by both
    right_a: int
    right_b: int
    only_a: int
    only_b: int
    p_value: float
    class_gain: Counter[str]  # per class: photos right only with A minus photos right only with B


def right_kinds(held_out: HeldOut) -> dict[Path, bool]:
    """Per fruit photo: whether the bot's first answer, by the verdict rule chosen with the file, names its kind."""
    vocab = held_out.vocab
    return {
        s.path: names_right_kind(group_by_name(vocab, s.probs), s.label, held_out.rule)
        for s in held_out.photos
        if s.label != NOT_FRUIT
    }


def paired(a: HeldOut, b: HeldOut) -> Paired:
    right_a, right_b = right_kinds(a), right_kinds(b)
    if right_a.keys() != right_b.keys():
        raise ValueError("the two files do not hold out the same fruit photos")
    labels = {s.path: s.label for s in a.photos}
    only_a = [path for path, ok in right_a.items() if ok and not right_b[path]]
    only_b = [path for path, ok in right_b.items() if ok and not right_a[path]]
    gain = Counter(labels[path] for path in only_a)
    gain.subtract(Counter(labels[path] for path in only_b))
    return Paired(
        len(right_a),
        sum(right_a.values()),
        sum(right_b.values()),
        len(only_a),
        len(only_b),
        mcnemar_exact(len(only_a), len(only_b)),
        gain,
    )


def report(name: str, result: Paired, classes: int = 8) -> str:
    moved = sorted(((label, n) for label, n in result.class_gain.items() if n), key=lambda item: -abs(item[1]))
    return (
        f"{name}: right kind first A {result.right_a}/{result.n}, B {result.right_b}/{result.n}; "
        f"right with A only {result.only_a}, with B only {result.only_b}; McNemar exact p = {result.p_value:.3f}\n"
        f"  classes that moved most (A - B): {', '.join(f'{label} {n:+d}' for label, n in moved[:classes]) or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--as-served", type=float, nargs=2, metavar=("T_A", "T_B"))
    args = parser.parse_args()
    a, b = HeldOut.read(args.a), HeldOut.read(args.b)
    print(report("calibrated", paired(a, b)))
    if args.as_served:
        t_a, t_b = args.as_served
        print(report("as served (temperature 1)", paired(a.at_temperature_one(t_a), b.at_temperature_one(t_b))))


if __name__ == "__main__":
    main()
