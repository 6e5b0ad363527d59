"""Labelled image items and where they come from: class folders, the Grocery Store layout, folders of everyday
non-fruit photos. Plain Python (no fastai): evaluation and serving-side tools import it too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from classifier.labels import NOT_FRUIT

Item = tuple[Path, str]  # (image file, class name)
GROCERY_MAP = Path(__file__).with_name("grocery_map.yaml")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def image_files(root: Path) -> list[Path]:
    """Every image file under `root`, sorted."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def folder_items(root: Path, label: str | None = None) -> list[Item]:
    """Every image under `root/<Class>/`, labelled with its class folder's name, or all with `label`."""
    return [(path, label or path.parent.name) for path in image_files(root)]


def not_fruit_items(root: Path) -> list[Item]:
    """Everyday photos without fruit (e.g. clothes), all examples of the reject class."""
    return folder_items(root, NOT_FRUIT)


def grocery_items(root: Path, mapping_file: Path = GROCERY_MAP) -> list[Item]:
    """Grocery Store photos (`<Fruit|Vegetables|Packages>/<coarse>/[<fine>/]*.jpg`) mapped onto our classes.

    The deepest folder named in the mapping wins: a fine class, else its coarse class, else its top group.
    """
    mapping: dict[str, str] = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
    items = []
    for path in image_files(root):
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


@dataclass(frozen=True)
class TrainingSet:
    """What a model learns from: studio shots (Fruits-360), real shop photos (Grocery Store, fruit and not), and
    everyday photos without fruit (the reject class). Real photos are the ones cross-validation holds out."""

    studio: list[Item]
    grocery: list[Item]
    everyday: list[Item]

    @property
    def items(self) -> list[Item]:
        return [*self.studio, *self.grocery, *self.everyday]

    def source_of(self) -> dict[Item, str]:
        """Each item's source: "studio", "grocery" or "everyday"."""
        return {
            **{item: "studio" for item in self.studio},
            **{item: "grocery" for item in self.grocery},
            **{item: "everyday" for item in self.everyday},
        }
