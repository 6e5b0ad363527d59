"""How the verdict thresholds trade fruit kept against non-fruit rejected, on the model's own validation split.

    .venv/bin/python benchmarks/verdict_rule.py [--model models/fruits.onnx]

Rebuilds the seeded 20 % validation split of the default training data (Fruits-360 Training + Grocery Store
train, as `make train-classifier` uses), so thresholds are chosen without looking at any test set, and prints
for a grid of rules the share of not-a-fruit photos rejected and of fruit photos kept (all, and real photos).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastai.vision.all import RandomSplitter  # noqa: E402

from classifier.data import folder_items, grocery_items  # noqa: E402
from classifier.evaluate import score  # noqa: E402
from classifier.labels import NOT_FRUIT  # noqa: E402
from classifier.predict import (  # noqa: E402
    DEFAULT_MODEL,
    DEFAULT_RULE,
    Predictor,
    Verdict,
    VerdictRule,
    group_by_name,
    verdict_for,
)

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    items = folder_items(DATA / "fruits-360-subset" / "Training") + grocery_items(DATA / "grocery-store" / "train")
    _, valid = RandomSplitter(valid_pct=0.2, seed=42)(items)
    predictor = Predictor(args.model)
    scored, _ = score(predictor, [items[i] for i in valid])
    rows = [
        (s.label == NOT_FRUIT, group_by_name(predictor.vocab, s.probs), "grocery-store" in s.path.parts) for s in scored
    ]
    print(f"default rule: {DEFAULT_RULE}")
    for name, real_only in [("all", False), ("real photos only", True)]:
        subset = [r for r in rows if r[2] or not real_only]
        neg = [guesses for is_neg, guesses, _ in subset if is_neg]
        pos = [guesses for is_neg, guesses, _ in subset if not is_neg]
        print(f"validation split, {name}: {len(pos)} fruit, {len(neg)} not-a-fruit photos")
        for not_fruit_from in [0.5, 0.7, 0.85]:
            for fruit_below in [0.02, 0.05, 0.1, 0.2]:
                rule = VerdictRule(not_fruit_from, fruit_below)
                rejected = sum(verdict_for(g, rule) is Verdict.NOT_FRUIT for g in neg) / max(len(neg), 1)
                kept = sum(verdict_for(g, rule) is not Verdict.NOT_FRUIT for g in pos) / max(len(pos), 1)
                print(
                    f"  not_fruit from {not_fruit_from:.2f}, best fruit below {fruit_below:.2f}: "
                    f"non-fruit rejected {rejected:6.1%}, fruit kept {kept:6.1%}"
                )


if __name__ == "__main__":
    main()
