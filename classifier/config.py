"""How a training run of the frozen-body recipe is configured, and the verdict rule its model answers by: plain
dataclasses, so that the command line, the reports and the served model can name them without importing fastai."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class VerdictRule:
    """How the bot turns probabilities (classes sharing a display name summed) into its answer:
    - not_fruit: the model's own reject class has at least `not_fruit_from`, or the best fruit is below
                 `fruit_below`;
    - unsure:    otherwise, when the best fruit is under `fruit_from` (the bot then offers its two best guesses);
    - fruit:     the best fruit has at least `fruit_from`.
    These defaults suit a model with temperature 1; `crossval` chooses a calibrated model's rule on its held-out
    predictions (classifier/rule_choice.py) and the rule travels in the model file."""

    not_fruit_from: float = 0.50
    fruit_below: float = 0.05
    fruit_from: float = 0.50


DEFAULT_RULE = VerdictRule()


@dataclass(frozen=True)
class Recipe:
    """How the model is fitted (the defaults are the shipped model's; models/EXPERIMENTS.md says why)."""

    sizes: tuple[int, ...] = (288, 224)  # the looks: input size first
    crops: tuple[float, ...] = (1.0, 0.6)  # per look: the share of the input's side it sees, its centre
    tuned_size: int | None = None  # the look whose front feeds a tuned tail (an option: EXPERIMENTS.md §9); None: none
    passes: int = 2  # over the training images: 1 as they are + augmented ones (at the tuned size, with a tail)
    multi_size_passes: int = 2  # of those, how many are also cached at the other sizes
    head_passes: int = 2  # the passes the linear heads train on
    epochs: int = 40  # linear heads: fit_one_cycle epochs
    lr: float | None = 3e-3  # linear heads; None: lr_find's suggestion
    real_weight: float = 2.0  # linear heads: real fruit photos drawn this many times as often as studio shots
    imagenet_inputs: bool = False  # linear heads: also see the ImageNet head's log-probabilities (EXPERIMENTS.md §19)
    tail_epochs: int = 1
    tail_lr: float = 3e-3  # the tuned tail's head; its blocks get a tenth (discriminative learning rates)
    tail_real_share: float = 0.65  # of each batch of the tuned tail: real photos (fruit and not), the rest studio
    tail_weight: float = 0.4  # of the tuned tail in the mix
    temperature: float = 1.0
    rule: VerdictRule = DEFAULT_RULE  # how its probabilities become the bot's answers; chosen with the temperature

    def __post_init__(self) -> None:
        if len(self.crops) != len(self.sizes) or not all(0 < crop <= 1 for crop in self.crops) or self.crops[0] != 1:
            raise ValueError(f"one crop in (0, 1] per look, the first 1 (the whole photo): {self.sizes}, {self.crops}")

    def to_json(self) -> dict[str, object]:
        return asdict(self)


SHIPPED = Recipe()  # the recipe of the model in models/
