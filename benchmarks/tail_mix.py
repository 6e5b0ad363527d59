"""A crossval's held-out predictions with a tuned tail's mixed in as the served graph mixes them, calibrated again and
answered by a verdict rule chosen on the mix as `crossval` chooses one (models/EXPERIMENTS.md §22).

    .venv/bin/python -m benchmarks.tail_mix REPORT.json HELD_OUT.json TAIL.json OUT_PREFIX [--weights 0.3 0.5]

REPORT.json and HELD_OUT.json: what `python -m classifier crossval --json --held-out` wrote; TAIL.json: what
`benchmarks.tail_finetune` wrote for the same photos (one look with `--per-look`, or both). In `MultiScale.combine`'s
order: the frozen heads' probabilities (the held-out ones taken back to temperature 1 with the report's temperature)
and the tail's averaged with weight W on the tail, a temperature fitted on the mix, then the veto. The veto reads the
frozen body, not the mix, so the photos the crossval's models vetoed stay vetoed; a vetoed photo is told by its
not-a-fruit probability (1 - 1e-6 or more, which only the veto's margin gives in practice), and the temperature is
fitted on the others. Prints, per weight, the answers under the rule chosen on the mix and under the rules
cross-checked on folds; writes OUT_PREFIX-W.json with its rule, for `benchmarks.paired_crossval`.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import torch

from classifier.calibration import fit_temperature
from classifier.labels import NOT_FRUIT
from classifier.results import HeldOut, Scored
from classifier.rule_choice import Answers, answers, choose_rule, cross_checked, grouped

VETOED = 1 - 1e-6  # not-a-fruit probability from which a held-out photo counts as vetoed


def mixed(held_out: HeldOut, temperature: float, tail: HeldOut, weight: float) -> HeldOut:
    """`held_out` (calibrated at `temperature`) and `tail` mixed with `weight` on the tail, calibrated again; the
    rule chosen on the result."""
    if not 0 < weight < 1:
        raise ValueError(f"the tail's weight is between 0 and 1, not {weight}")
    if tail.vocab != held_out.vocab:
        raise ValueError("the two files name different classes")
    tail_probs = {s.path: s.probs for s in tail.photos}
    if tail_probs.keys() != {s.path for s in held_out.photos}:
        raise ValueError("the two files do not hold out the same photos")
    not_fruit = held_out.vocab.index(NOT_FRUIT)
    probs = torch.tensor([s.probs for s in held_out.photos], dtype=torch.float64)
    vetoed = probs[:, not_fruit] >= VETOED
    heads = (probs.clamp_min(1e-30).log() * temperature).log_softmax(dim=1)
    tuned = torch.tensor([tail_probs[s.path] for s in held_out.photos], dtype=torch.float64).clamp_min(1e-30).log()
    log_mix = torch.logaddexp(heads + math.log(1 - weight), tuned + math.log(weight))
    targets = torch.tensor([held_out.vocab.index(s.label) for s in held_out.photos])
    refit = fit_temperature(log_mix[~vetoed].float(), targets[~vetoed])
    calibrated = torch.where(vetoed.unsqueeze(1), probs, (log_mix / refit).softmax(dim=1))
    photos = [Scored(s.path, s.label, row.tolist()) for s, row in zip(held_out.photos, calibrated, strict=True)]
    return HeldOut(held_out.vocab, photos, choose_rule(grouped(photos, held_out.vocab)), held_out.folds)


def line(name: str, tally: Answers) -> str:
    return (
        f"{name:<16} right kind first {tally.right_kind}/{tally.fruit}, kept {tally.kept}, "
        f"rejected {tally.rejected}/{tally.not_fruit}, 'it is X' right {tally.confident_right}/{tally.confident}, "
        f"'not sure' right among two {tally.unsure_right}/{tally.unsure}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("held_out", type=Path)
    parser.add_argument("tail", type=Path)
    parser.add_argument("out_prefix", type=Path)
    parser.add_argument("--weights", type=float, nargs="+", default=[0.3, 0.5])
    args = parser.parse_args()
    temperature = float(json.loads(args.report.read_text(encoding="utf-8"))["calibration"]["temperature"])
    held_out, tail = HeldOut.read(args.held_out), HeldOut.read(args.tail)
    photos = grouped(held_out.photos, held_out.vocab)
    print(line("crossval, rule", answers(photos, held_out.rule)))
    print(line("  cross-checked", cross_checked(photos, held_out.folds)))
    for weight in args.weights:
        mix = mixed(held_out, temperature, tail, weight)
        photos = grouped(mix.photos, mix.vocab)
        print(line(f"tail {weight}, rule", answers(photos, mix.rule)) + f"  ({mix.rule})")
        print(line("  cross-checked", cross_checked(photos, mix.folds)))
        out = args.out_prefix.with_name(f"{args.out_prefix.name}-{weight}.json")
        mix.write(out)
        print(f"  wrote {out}")


if __name__ == "__main__":
    main()
