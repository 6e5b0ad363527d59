"""The fastai DataBlock over labelled image items: its split, item and batch transforms."""

from __future__ import annotations

from pathlib import Path

from fastai.vision.all import (
    CategoryBlock,
    DataBlock,
    FuncSplitter,
    Hue,
    ImageBlock,
    ItemGetter,
    RandomResizedCrop,
    Resize,
    Saturation,
    aug_transforms,
)

from classifier.composite import PasteOnBackground
from classifier.items import Item


def data_block(size: int, valid: set[Item], backgrounds: list[Path] | None = None) -> DataBlock:
    """The DataBlock: `valid` items for validation, the rest for training.

    Validation (and every pass "as it is"): the centre square at `size` px, as the bot crops a photo. Training:
    fruit pasted onto `backgrounds` (if given), a random square, then a random crop of 30-100 % of it
    (fastai's RandomResizedCrop: shop photos show fruit at every scale), flips, small rotations, and stronger
    lighting and colour changes than fastai's defaults (shop light, phone white balance)."""
    return DataBlock(
        blocks=(ImageBlock, CategoryBlock),
        get_x=ItemGetter(0),
        get_y=ItemGetter(1),
        splitter=FuncSplitter(lambda item: tuple(item) in valid),
        item_tfms=[
            PasteOnBackground(backgrounds or [], p=0.5),
            Resize(size),
            RandomResizedCrop(size, min_scale=0.3, val_xtra=0.0),
        ],
        batch_tfms=[
            *aug_transforms(size=size, max_rotate=15.0, max_zoom=1.0, max_lighting=0.35, max_warp=0.1),
            Saturation(max_lighting=0.3, p=0.75),
            Hue(max_hue=0.04, p=0.75),
        ],
    )
