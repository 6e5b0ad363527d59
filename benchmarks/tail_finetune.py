"""The body's last blocks fine-tuned on each crossval fold, real photos most of each batch, augmentation drawn afresh
at every step; the held-out photos' probabilities written as a held-out file (models/EXPERIMENTS.md §21).

    .venv/bin/python -m benchmarks.tail_finetune HELD_OUT.json OUT.json [--folds 0 1 ...] [--epochs 3] [--per-look]
    .venv/bin/python -m benchmarks.paired_crossval OUT.json HELD_OUT.json

HELD_OUT.json: what `python -m classifier crossval --held-out` wrote; its real photos, labels and folds are used, not
its probabilities. Each fold's model is trained on the other folds' real photos and a sample of the studio shots,
from ImageNet weights, and names the fold's photos from two looks framed as the served model's (the whole photo and
its centre 60 %, at `--size` px; resized here, antialiased, from 256 px squares). No veto, no calibration. About 8
minutes a fold on 2 cores.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import timm
import torch
from torch import nn
from torchvision.transforms import v2

from classifier.config import DEFAULT_RULE
from classifier.items import folder_items
from classifier.multiscale import split_body
from classifier.preprocess import open_image, to_rgb
from classifier.results import HeldOut, Scored
from classifier.weights import imagenet_model

ARCH = "tf_efficientnet_lite0"
STORED = 256  # px: photos are decoded once, as squares of this side
CENTRE = 0.6  # of the side: the served model's second look


@dataclass(frozen=True)
class TailSettings:
    frozen_blocks: int = 4  # blocks before this index keep their ImageNet weights
    epochs: int = 3
    lr: float = 1e-3  # the new classifier's; the tuned blocks get lr * body_lr_ratio
    body_lr_ratio: float = 0.1
    batch: int = 32
    size: int = 224


def decoded(paths: list[Path]) -> torch.Tensor:
    """uint8 N×3×STORED×STORED: each photo's centre square, as the served model crops it."""
    out = torch.empty((len(paths), 3, STORED, STORED), dtype=torch.uint8)
    for i, path in enumerate(paths):
        pixels = np.asarray(to_rgb(open_image(path.read_bytes()), STORED))
        out[i] = torch.from_numpy(pixels.copy()).permute(2, 0, 1)
    return out


def studio_sample(root: Path, per_class: int, vocab: list[str], seed: int = 0) -> list[tuple[Path, str]]:
    """`per_class` studio shots of each class folder under `root` that the vocabulary names."""
    rng = random.Random(seed)
    by_class: dict[str, list[Path]] = {}
    for path, label in folder_items(root):
        if label in vocab:
            by_class.setdefault(label, []).append(path)
    return [(f, label) for label, files in by_class.items() for f in rng.sample(files, min(per_class, len(files)))]


class TunedTail(nn.Module):
    """ImageNet Lite0 with a new classifier; only blocks from `frozen_blocks` on, the head conv and the classifier
    learn. BatchNorm keeps ImageNet's statistics and affine weights (small batches, few photos)."""

    def __init__(self, classes: int, frozen_blocks: int) -> None:
        super().__init__()
        body = imagenet_model(ARCH)
        body.reset_classifier(classes)
        self.frozen, back = split_body(body, frozen_blocks)
        self.tuned = nn.Sequential(back, body.global_pool)
        self.classifier = body.classifier
        for module in self.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.requires_grad_(False)
                module.bias.requires_grad_(False)
        for parameter in self.frozen.parameters():
            parameter.requires_grad_(False)
        config = timm.models.get_pretrained_cfg(ARCH)
        assert config is not None
        self.mean = torch.tensor(config.mean).view(1, 3, 1, 1)
        self.std = torch.tensor(config.std).view(1, 3, 1, 1)

    def train(self, mode: bool = True) -> TunedTail:
        super().train(mode)
        for module in self.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.eval()
        return self

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """Logits of uint8 images."""
        images = (pixels.float() / 255 - self.mean) / self.std
        with torch.no_grad():
            early = self.frozen(images)
        logits: torch.Tensor = self.classifier(self.tuned(early))
        return logits


def fine_tuned(pixels: torch.Tensor, targets: torch.Tensor, classes: int, settings: TailSettings) -> TunedTail:
    model = TunedTail(classes, settings.frozen_blocks).train()
    augment = v2.Compose(
        [
            v2.RandomResizedCrop(settings.size, scale=(0.3, 1.0), antialias=True),
            v2.RandomHorizontalFlip(),
            v2.ColorJitter(0.3, 0.3, 0.3, 0.03),
        ]
    )
    head = list(model.classifier.parameters())
    blocks = [p for p in model.tuned.parameters() if p.requires_grad]
    rates = [settings.lr * settings.body_lr_ratio, settings.lr]
    optimiser = torch.optim.AdamW(
        [{"params": blocks, "lr": rates[0]}, {"params": head, "lr": rates[1]}], weight_decay=0.01
    )
    steps = settings.epochs * math.ceil(len(pixels) / settings.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=rates, total_steps=steps, pct_start=0.25)
    loss_of = nn.CrossEntropyLoss(label_smoothing=0.1)
    started = time.monotonic()
    for epoch in range(settings.epochs):
        order = torch.randperm(len(pixels))
        total = 0.0
        for start in range(0, len(order), settings.batch):
            batch = order[start : start + settings.batch]
            loss = loss_of(model(torch.stack([augment(pixels[i]) for i in batch])), targets[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        print(f"  epoch {epoch}: loss {total / len(order):.3f}, {time.monotonic() - started:.0f} s", flush=True)
    return model.eval()


def look_log_probs(model: TunedTail, pixels: torch.Tensor, size: int, batch: int = 64) -> dict[str, torch.Tensor]:
    """Log-probabilities from each look at the photos, "whole" (the whole photo) and "centre" (its centre), and
    from "both", their mean in log space, as the served model mixes looks."""
    side = round(pixels.shape[-1] * CENTRE)
    rows: dict[str, list[torch.Tensor]] = {"whole": [], "centre": []}
    with torch.inference_mode():
        for start in range(0, len(pixels), batch):
            chunk = pixels[start : start + batch]
            looks = {"whole": chunk, "centre": v2.functional.center_crop(chunk, [side, side])}
            for name, look in looks.items():
                rows[name].append(model(v2.functional.resize(look, [size, size], antialias=True)).log_softmax(1))
    logs = {name: torch.cat(parts) for name, parts in rows.items()}
    logs["both"] = ((logs["whole"] + logs["centre"]) / 2).log_softmax(1)
    return logs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("held_out", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--folds", type=int, nargs="+", help="only these folds (default: all)")
    parser.add_argument("--studio", type=Path, default=Path("../shared/data/fruits-360-subset/Training"))
    parser.add_argument("--studio-per-class", type=int, default=12)
    parser.add_argument("--frozen-blocks", type=int, default=TailSettings.frozen_blocks)
    parser.add_argument("--epochs", type=int, default=TailSettings.epochs)
    parser.add_argument(
        "--per-look", action="store_true", help="also OUT.whole.json and OUT.centre.json, one look each"
    )
    args = parser.parse_args()
    torch.manual_seed(0)
    settings = TailSettings(frozen_blocks=args.frozen_blocks, epochs=args.epochs)
    held_out = HeldOut.read(args.held_out)
    vocab = held_out.vocab
    index = {label: i for i, label in enumerate(vocab)}
    studio = studio_sample(args.studio, args.studio_per_class, vocab)
    real = decoded([s.path for s in held_out.photos])
    studio_pixels = decoded([path for path, _ in studio])
    real_targets = torch.tensor([index[s.label] for s in held_out.photos])
    studio_targets = torch.tensor([index[label] for _, label in studio])
    folds = np.asarray(held_out.folds)
    scored: dict[str, list[Scored]] = {"both": [], "whole": [], "centre": []}
    scored_folds: list[int] = []
    for fold in args.folds if args.folds is not None else sorted(set(held_out.folds)):
        train, test = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
        print(f"fold {fold}: {len(train)} real + {len(studio)} studio photos to learn from, {len(test)} to name")
        model = fine_tuned(
            torch.cat([real[train], studio_pixels]),
            torch.cat([real_targets[train], studio_targets]),
            len(vocab),
            settings,
        )
        logs = look_log_probs(model, real[test], settings.size)
        scored_folds += [int(fold)] * len(test)
        for name, rows in scored.items():
            rows += [
                Scored(held_out.photos[i].path, held_out.photos[i].label, row.tolist())
                for i, row in zip(test, logs[name].softmax(1).numpy(), strict=True)
            ]
    outputs = {"both": args.out}
    if args.per_look:
        outputs |= {name: args.out.with_suffix(f".{name}.json") for name in ("whole", "centre")}
    for name, path in outputs.items():
        HeldOut(vocab, scored[name], DEFAULT_RULE, scored_folds).write(path)
        print(f"wrote {path}: {len(scored[name])} held-out photos, looks: {name}")


if __name__ == "__main__":
    main()
