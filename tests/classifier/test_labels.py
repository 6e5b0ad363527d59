from pathlib import Path

import pytest

from classifier.labels import NOT_FRUIT, clean_label, label_for, load_labels

FRUITS_360 = Path(__file__).resolve().parents[3] / "shared" / "data" / "fruits-360-subset" / "Training"


@pytest.mark.parametrize(
    ("folder", "cleaned"),
    [("Apple Golden 3", "Apple Golden"), ("Banana", "Banana"), ("Grape White 2", "Grape White"), ("Peach 2", "Peach")],
)
def test_clean_label_drops_the_variant_number_like_the_tutorial(folder: str, cleaned: str) -> None:
    assert clean_label(folder) == cleaned


@pytest.mark.parametrize(
    ("key", "name", "wiki"),
    [
        ("Apple Golden 3", "Golden Delicious apple", "Golden Delicious"),
        ("Kaki", "Persimmon", "Persimmon"),
        ("Limes", "Lime", "Lime (fruit)"),
        ("Physalis with Husk", "Physalis", "Physalis"),
    ],
)
def test_classes_have_names_people_understand(key: str, name: str, wiki: str) -> None:
    label = label_for(key)
    assert (label.name, label.wiki) == (name, wiki)


def test_a_class_missing_from_the_map_falls_back_to_its_cleaned_name() -> None:
    assert label_for("Durian 2").name == "Durian"


def test_every_fruits_360_class_and_the_reject_class_have_an_entry() -> None:
    classes = {path.name for path in FRUITS_360.iterdir() if path.is_dir()}
    assert len(classes) == 95
    assert classes | {NOT_FRUIT} == set(load_labels())


def test_classes_a_person_calls_the_same_are_the_same_kind_of_fruit() -> None:
    kinds_of_name: dict[str, set[str]] = {}
    for label in load_labels().values():
        kinds_of_name.setdefault(label.name, set()).add(label.kind)
    assert {name: kinds for name, kinds in kinds_of_name.items() if len(kinds) > 1} == {}
