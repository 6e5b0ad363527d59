"""Which fruit a question is about, from the NLU's entity or from the question's words."""

import pytest

from actions.fruit_question import fruit_asked_about
from common.fruit_names import Fruit


def ask(text: str, *entities: str) -> Fruit | None:
    return fruit_asked_about({"text": text, "entities": [{"entity": "fruit", "value": e} for e in entities]})


@pytest.mark.parametrize(
    ("text", "name", "known"),
    [
        ("what is a rambutan?", "Rambutan", True),
        ("tell me about kumquats", "Kumquat", True),
        ("is a tomato a fruit?", "Tomato", True),
        ("are avocados healthy?", "Avocado", True),
        ("how healthy are apples?", "Apple", True),
        ("what does a durian taste like", "Durian", False),
        ("what is a jabuticaba", "Jabuticaba", False),
        ("tell me about the pawpaws", "Pawpaw", False),
    ],
)
def test_the_fruit_named_in_a_question(text: str, name: str, known: bool) -> None:
    fruit = ask(text)
    assert fruit is not None and (fruit.name, fruit.known) == (name, known)


def test_the_nlu_entity_wins_over_the_words() -> None:
    assert ask("tell me about those", "Kumquats") == Fruit("Kumquat", "Kumquat", True)


@pytest.mark.parametrize("text", ["hello", "what is your name?", "what is this?", "", "tell me about it"])
def test_no_fruit_when_none_is_named(text: str) -> None:
    assert ask(text) is None


def test_any_json_is_read_without_raising() -> None:
    for message in [None, [], {"entities": "x"}, {"entities": [1, None]}, {"text": 5}]:
        assert fruit_asked_about(message) is None
