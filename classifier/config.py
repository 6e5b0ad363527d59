"""How a training run of the frozen-body recipe is configured: a plain dataclass, so that the command line and
reports can name it without importing fastai."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Recipe:
    """How the model is fitted (the defaults are the shipped model's; models/EXPERIMENTS.md says why)."""

    sizes: tuple[int, ...] = (288, 224)  # the looks: input size first
    crops: tuple[float, ...] = (1.0, 224 / 288)  # per look: the share of the input's side it sees, its centre
    tuned_size: int | None = None  # the look whose front feeds a tuned tail (an option: EXPERIMENTS.md §9); None: none
    passes: int = 2  # over the training images: 1 as they are + augmented ones (at the tuned size, with a tail)
    multi_size_passes: int = 2  # of those, how many are also cached at the other sizes
    head_passes: int = 2  # the passes the linear heads train on
    epochs: int = 40  # linear heads: fit_one_cycle epochs
    lr: float | None = 3e-3  # linear heads; None: lr_find's suggestion
    real_weight: float = 2.0  # linear heads: real fruit photos drawn this many times as often as studio shots
    tail_epochs: int = 1
    tail_lr: float = 3e-3  # the tuned tail's head; its blocks get a tenth (discriminative learning rates)
    tail_real_share: float = 0.65  # of each batch of the tuned tail: real photos (fruit and not), the rest studio
    tail_weight: float = 0.4  # of the tuned tail in the mix
    temperature: float = 1.0

    def __post_init__(self) -> None:
        if len(self.crops) != len(self.sizes) or not all(0 < crop <= 1 for crop in self.crops) or self.crops[0] != 1:
            raise ValueError(f"one crop in (0, 1] per look, the first 1 (the whole photo): {self.sizes}, {self.crops}")

    def to_json(self) -> dict[str, object]:
        return asdict(self)


SHIPPED = Recipe()  # the recipe of the model in models/
