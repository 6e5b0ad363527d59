"""The names people use for fruit: one index for the NLU's lookup table and the action server."""

import pytest

from common.fruit_names import LOOKUP_TABLE, Fruit, fruit_names, lookup_table_yaml, plurals


def test_the_nlu_lookup_table_is_written_from_the_current_names() -> None:
    assert LOOKUP_TABLE.read_text(encoding="utf-8") == lookup_table_yaml(), (
        "run: .venv/bin/python -m common.fruit_names"
    )


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("kumquat", ["kumquats"]),
        ("cherry", ["cherries"]),
        ("peach", ["peaches"]),
        ("mango", ["mangoes", "mangos"]),
        ("passion fruit", ["passion fruits"]),
        ("star apple", ["star apples"]),
        ("key", ["keys"]),
    ],
)
def test_plurals(name: str, forms: list[str]) -> None:
    assert plurals(name) == forms


def test_a_class_is_known_by_its_display_name_kind_folder_name_and_other_names() -> None:
    index = fruit_names()
    passion = Fruit("Passion fruit", "Passion fruit", known=True)
    assert index["maracuja"] == index["passion fruit"] == index["passion fruits"] == passion
    assert index["kaki"] == index["persimmons"] == index["sharon fruit"] == Fruit("Persimmon", "Persimmon", True)
    assert index["apples"] == Fruit("Apple", "Apple", True)  # a kind is known too
    assert index["limes"].wiki == "Lime (fruit)"


def test_fruit_without_a_class_are_known_by_name_but_not_by_sight() -> None:
    assert fruit_names()["durians"] == Fruit("Durian", "Durian", known=False)
    assert fruit_names()["figs"].wiki == "Common fig"
    assert "not a fruit" not in fruit_names()
