"""How the verdict thresholds trade fruit kept against non-fruit rejected, on the model's own validation split.

    .venv/bin/python benchmarks/verdict_rule.py [--model models/fruits.pkl]

Rebuilds the seeded 20 % validation split of the default training data (Fruits-360 Training + Grocery Store
train, as `make train-classifier` uses), so thresholds are chosen without looking at any test set.
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
from classifier.predict import DEFAULT_MODEL, Predictor, group_by_name  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    items = folder_items(DATA / "fruits-360-subset" / "Training") + grocery_items(DATA / "grocery-store" / "train")
    _, valid = RandomSplitter(valid_pct=0.2, seed=42)(items)
    predictor = Predictor(args.model)
    scored, _ = score(predictor, [items[i] for i in valid])
    rows = []
    for s in scored:
        guesses = group_by_name(predictor.vocab, s.probs)
        best_fruit = max((g.p for g in guesses if g.label != NOT_FRUIT), default=0.0)
        rows.append((s.label == NOT_FRUIT, guesses[0].label == NOT_FRUIT, best_fruit, s.path.parts))
    for name, keep in [("all", lambda parts: True), ("real photos only", lambda parts: "grocery-store" in parts)]:
        subset = [r for r in rows if keep(r[3])]
        neg = [r for r in subset if r[0]]
        pos = [r for r in subset if not r[0]]
        print(f"validation split, {name}: {len(pos)} fruit, {len(neg)} not-a-fruit photos")
        for below in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]:
            rejected = sum(1 for r in neg if r[1] or r[2] < below) / max(len(neg), 1)
            kept = sum(1 for r in pos if not (r[1] or r[2] < below)) / max(len(pos), 1)
            print(
                f"  not_fruit when best fruit < {below:.1f}: non-fruit rejected {rejected:6.1%}, fruit kept {kept:6.1%}"
            )


if __name__ == "__main__":
    main()
