"""Every name a person may use for a fruit, and the Wikipedia article about it: the classes' own names (display
name, kind, folder name, `aka`, from classifier/labels.yaml) and fruit we have no class for (other_fruit.yaml),
each with its plural. The NLU's lookup table is written from it (`python -m common.fruit_names`), and the action
server looks names up in it. Plain Python (and PyYAML)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "classifier" / "labels.yaml"
OTHER_FRUIT = Path(__file__).with_name("other_fruit.yaml")
LOOKUP_TABLE = ROOT / "rasa_project" / "data" / "fruit_lookup.yml"
IRREGULAR = {"mango": ["mangoes", "mangos"], "tomato": ["tomatoes"], "potato": ["potatoes"], "date": ["dates"]}


@dataclass(frozen=True)
class Fruit:
    name: str  # what the bot calls it, e.g. "Kumquat"
    wiki: str  # its English Wikipedia article
    known: bool  # one of the classifier's classes: the bot can name it in a photo


def plurals(name: str) -> list[str]:
    """The plural forms of a (possibly multi-word) fruit name: the last word inflected."""
    *head, last = name.split(" ")
    if last in IRREGULAR:
        forms = IRREGULAR[last]
    elif re.search(r"[^aeiou]y$", last):
        forms = [last[:-1] + "ies"]
    elif re.search(r"(s|x|z|ch|sh)$", last):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [" ".join([*head, form]) for form in forms]


@cache
def fruit_names() -> dict[str, Fruit]:
    """Lower-case name (and plural) -> the fruit it names. A class's own names win over other_fruit.yaml's."""
    index: dict[str, Fruit] = {}
    for folder, entry in sorted(yaml.safe_load(LABELS.read_text(encoding="utf-8")).items()):
        if entry.get("wiki") is None:
            continue  # the reject class
        fruit = Fruit(entry["name"], entry["wiki"], known=True)
        kind = entry.get("kind", folder.split()[0])
        names = [entry["name"], re.sub(r"\s+\d+$", "", folder), *entry.get("aka", [])]
        for name in names:
            add(index, name, fruit)
        add(index, kind, Fruit(kind.capitalize(), kind.capitalize(), known=True))
    for name, wiki in yaml.safe_load(OTHER_FRUIT.read_text(encoding="utf-8")).items():
        add(index, name, Fruit(name.capitalize(), wiki, known=False))
    return index


def add(index: dict[str, Fruit], name: str, fruit: Fruit) -> None:
    """`name` and its plurals for `fruit`, unless an earlier entry has them (the classes come first)."""
    for form in [name.lower(), *plurals(name.lower())]:
        index.setdefault(form, fruit)


def lookup_table_yaml() -> str:
    """The NLU's `fruit` lookup table, LOOKUP_TABLE."""
    lines = [
        "# Written by `python -m common.fruit_names` from classifier/labels.yaml and common/other_fruit.yaml.",
        'version: "3.1"',
        "",
        "nlu:",
        "  - lookup: fruit",
        "    examples: |",
        *(f"      - {name}" for name in sorted(fruit_names())),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # after editing classifier/labels.yaml or other_fruit.yaml (a test fails until then)
    LOOKUP_TABLE.write_text(lookup_table_yaml(), encoding="utf-8")
    print(f"{LOOKUP_TABLE}: {len(fruit_names())} names")
