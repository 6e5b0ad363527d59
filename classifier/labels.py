"""Names people understand: class folder -> display name and Wikipedia title (labels.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LABELS_PATH = Path(__file__).with_name("labels.yaml")
NOT_FRUIT = "not_fruit"


@dataclass(frozen=True)
class Label:
    key: str  # the class folder name the model predicts, e.g. "Apple Golden 3"
    name: str  # what a person calls it, e.g. "Golden Delicious apple"
    wiki: str | None  # English Wikipedia article title, None for the reject class
    kind: str  # the kind of fruit (apple, pear, banana…): the class's first word unless labels.yaml gives one
    aka: tuple[str, ...] = ()  # other names people use for it


def clean_label(folder: str) -> str:
    """The original tutorial's cleaning: drop a trailing variant number ("Apple Golden 3" -> "Apple Golden")."""
    return re.sub(r"\s+\d+$", "", folder).strip()


def first_word(folder: str) -> str:
    """A class's kind of fruit by default: "Apple Golden 1" -> "Apple", "Pear Kaiser" -> "Pear"."""
    return folder.split()[0]


@cache
def load_labels(path: Path = LABELS_PATH) -> dict[str, Label]:
    """Read the label map once."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: Label(
            key=key,
            name=entry["name"],
            wiki=entry.get("wiki"),
            kind=entry.get("kind", first_word(key)),
            aka=tuple(entry.get("aka", ())),
        )
        for key, entry in raw.items()
    }


def label_for(key: str) -> Label:
    """The label of a class; a class missing from the map falls back to its cleaned folder name."""
    found = load_labels().get(key)
    if found is not None:
        return found
    cleaned = clean_label(key)
    return Label(key=key, name=cleaned, wiki=cleaned, kind=first_word(key))
