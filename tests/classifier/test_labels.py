from pathlib import Path

import pytest
import yaml

from classifier.items import GROCERY_MAP
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


def test_every_class_a_model_can_learn_has_an_entry_and_no_other() -> None:
    """The 95 Fruits-360 classes, the classes Grocery Store photos alone teach, and the reject class."""
    classes = {path.name for path in FRUITS_360.iterdir() if path.is_dir()}
    assert len(classes) == 95
    mapped = set(yaml.safe_load(GROCERY_MAP.read_text()).values())
    assert mapped - classes - {NOT_FRUIT} == {
        "Apple Royal Gala",
        "Pear Conference",
        "Melon Galia",
        "Melon Honeydew",
        "Watermelon",
    }
    assert classes | mapped == set(load_labels())


def test_classes_a_person_calls_the_same_are_the_same_kind_of_fruit() -> None:
    kinds_of_name: dict[str, set[str]] = {}
    for label in load_labels().values():
        kinds_of_name.setdefault(label.name, set()).add(label.kind)
    assert {name: kinds for name, kinds in kinds_of_name.items() if len(kinds) > 1} == {}
