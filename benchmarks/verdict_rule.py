"""How the verdict thresholds trade fruit kept against non-fruit rejected, on held-out real photos.

    .venv/bin/python -m benchmarks.verdict_rule [--model models/fruits.onnx] [--held-out FILE]

Reads the cross-validated held-out predictions that `make train-classifier` writes (`python -m classifier
crossval --held-out`), so thresholds are chosen without looking at any test set, and prints for a grid of rules
the share of not-a-fruit photos rejected and of fruit photos kept.
Then, with the model's own rule, how many everyday photos (no fruit, no shop) are rejected: the sample photos that
ship inside installed wheels (scikit-image, matplotlib, scikit-learn), each whole and as 6 seeded random crops,
and scikit-image's 200 small faces from LFW: what the ImageNet veto (classifier/veto.py) stands guard against.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import skimage
import sklearn
from PIL import Image

from classifier.predict import (
    DEFAULT_MODEL,
    Predictor,
    Verdict,
    VerdictRule,
)
from classifier.results import HeldOut
from classifier.rule_choice import answers, grouped

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "var" / "crossval-heldout.json"
SKIMAGE_DATA = Path(skimage.__file__).parent / "data"
CROPS_PER_PHOTO = 6


def sample_photos() -> list[Path]:
    """The photos and pictures installed wheels ship as samples: none of them shows a fruit."""
    return sorted(
        [p for p in SKIMAGE_DATA.iterdir() if p.suffix in {".png", ".jpg", ".gif"}]
        + [Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"]
        + sorted((Path(sklearn.__file__).parent / "datasets" / "images").glob("*.jpg"))
    )


def everyday_photos(rng: random.Random) -> Iterator[tuple[str, Image.Image]]:
    """Each sample photo whole and as CROPS_PER_PHOTO random crops (30-80 % of each side), then the LFW faces."""
    for path in sample_photos():
        photo = Image.open(path).convert("RGB")
        yield "sample photos", photo
        width, height = photo.size
        for _ in range(CROPS_PER_PHOTO):
            w, h = int(width * rng.uniform(0.3, 0.8)), int(height * rng.uniform(0.3, 0.8))
            x, y = rng.randint(0, width - w), rng.randint(0, height - h)
            yield "crops of them", photo.crop((x, y, x + w, y + h))
    for face in np.load(SKIMAGE_DATA / "lfw_subset.npy"):
        yield "LFW faces", Image.fromarray((face * 255).astype(np.uint8))


def print_everyday_rejected(predictor: Predictor) -> None:
    seen, rejected = Counter(), Counter()
    for kind, photo in everyday_photos(random.Random(0)):
        seen[kind] += 1
        rejected[kind] += predictor.predict(photo).verdict is Verdict.NOT_FRUIT
    print(
        f"everyday photos (not a fruit), the model's rule {predictor.rule}, from {seen['sample photos']} sample photos:"
    )
    for kind, n in seen.items():
        print(f"  {kind:14s} rejected {rejected[kind]:4d} of {n:4d} ({rejected[kind] / n:6.1%})")


def print_rule_grid(held_out: Path) -> None:
    """The verdict rule's trade-off on the held-out predictions of `python -m classifier crossval --held-out`."""
    saved = HeldOut.read(held_out)
    photos = grouped(saved.photos, saved.vocab)
    print(f"rule chosen on them by crossval (classifier/rule_choice.py): {saved.rule}")
    counts = answers(photos, saved.rule)
    print(f"cross-validated held-out real photos ({held_out}): {counts.fruit} fruit, {counts.not_fruit} not-a-fruit")
    for not_fruit_from in [0.5, 0.7, 0.85]:
        for fruit_below in [0.02, 0.05, 0.1, 0.2]:
            tally = answers(photos, VerdictRule(not_fruit_from, fruit_below, saved.rule.fruit_from))
            rejected, kept = tally.rejected / max(tally.not_fruit, 1), tally.kept / max(tally.fruit, 1)
            print(
                f"  not_fruit from {not_fruit_from:.2f}, best fruit below {fruit_below:.2f}: "
                f"non-fruit rejected {rejected:6.1%}, fruit kept {kept:6.1%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--held-out", type=Path, default=HELD_OUT, help="crossval's held-out predictions")
    args = parser.parse_args()
    if args.held_out.exists():
        print_rule_grid(args.held_out)
    else:
        print(f"{args.held_out} is missing: `make train-classifier` writes it (crossval --held-out)")
    print_everyday_rejected(Predictor(args.model))


if __name__ == "__main__":
    main()
