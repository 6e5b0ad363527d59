"""Training data: labelled image items from class folders, and the fastai DataBlock over them."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastai.vision.all import (
    CategoryBlock,
    DataBlock,
    ImageBlock,
    ItemGetter,
    RandomSplitter,
    Resize,
    aug_transforms,
    get_image_files,
)

from classifier.composite import PasteOnBackground

Item = tuple[Path, str]  # (image file, class name)
GROCERY_MAP = Path(__file__).with_name("grocery_map.yaml")


def folder_items(root: Path) -> list[Item]:
    """Every image under `root/<Class>/`, labelled with its class folder's name."""
    return [(path, path.parent.name) for path in sorted(get_image_files(root))]


def grocery_items(root: Path, mapping_file: Path = GROCERY_MAP) -> list[Item]:
    """Grocery Store photos (`<Fruit|Vegetables|Packages>/<coarse>/[<fine>/]*.jpg`) mapped onto our classes.

    The deepest folder named in the mapping wins: a fine class, else its coarse class, else its top group.
    """
    mapping: dict[str, str] = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
    items = []
    for path in sorted(get_image_files(root)):
        folders = path.relative_to(root).parts[:-1]
        label = next((mapping[f] for f in reversed(folders) if f in mapping), None)
        if label is not None:
            items.append((path, label))
    return items


def limit_per_class(items: list[Item], n: int) -> list[Item]:
    """The first `n` items of each class (for quick, tiny training runs)."""
    seen: dict[str, int] = {}
    kept = []
    for path, label in items:
        seen[label] = seen.get(label, 0) + 1
        if seen[label] <= n:
            kept.append((path, label))
    return kept


def data_block(size: int, seed: int = 42, valid_pct: float = 0.2, backgrounds: list[Path] | None = None) -> DataBlock:
    """The DataBlock: a seeded random validation split, fruit pasted onto `backgrounds` (training items only),
    a resize to `size` and fastai's augmentations."""
    return DataBlock(
        blocks=(ImageBlock, CategoryBlock),
        get_x=ItemGetter(0),
        get_y=ItemGetter(1),
        splitter=RandomSplitter(valid_pct=valid_pct, seed=seed),
        item_tfms=[PasteOnBackground(backgrounds or [], p=0.5), Resize(size)],
        batch_tfms=aug_transforms(size=size, flip_vert=True, max_rotate=30.0, max_zoom=1.2, max_lighting=0.3),
    )
