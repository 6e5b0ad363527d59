"""Evaluation figures are measured as the bot answers: a fruit photo it calls "not a fruit" is named wrongly."""

from pathlib import Path

import pytest

from classifier.config import VerdictRule
from classifier.evaluate import kind, report
from classifier.results import Scored

VOCAB = ["Apple Golden 1", "Apple Red 1", "Banana", "Kiwi", "not_fruit"]


def scored(label: str, probs: list[float]) -> Scored:
    return Scored(Path(f"{label}.jpg"), label, probs)


def test_naming_kind_top3_and_verdict_rates() -> None:
    items = [
        scored("Banana", [0.0, 0.0, 0.9, 0.1, 0.0]),  # right
        scored("Apple Golden 1", [0.2, 0.7, 0.0, 0.1, 0.0]),  # wrong class, right kind, in the top 3
        scored("Kiwi", [0.0, 0.1, 0.0, 0.3, 0.6]),  # verdict not_fruit: wrongly named, not kept
        scored("not_fruit", [0.0, 0.0, 0.1, 0.0, 0.9]),  # rejected
        scored("not_fruit", [0.0, 0.0, 0.8, 0.0, 0.2]),  # called a banana
    ]
    result = report(VOCAB, items, seconds_per_image=0.01, unknown=[])
    assert (result.n, result.n_not_fruit) == (3, 2)
    assert result.accuracy == pytest.approx(1 / 3)
    assert result.kind_accuracy == pytest.approx(2 / 3)
    assert result.top3 == pytest.approx(2 / 3)  # the Kiwi was in no list: the bot said "not a fruit"
    assert result.fruit_kept == pytest.approx(2 / 3)
    assert result.not_fruit_rejected == pytest.approx(1 / 2)
    assert result.per_class == {"Apple Golden 1": 0.0, "Banana": 1.0, "Kiwi": 0.0}
    assert result.mean_latency_ms == pytest.approx(10.0)


def test_the_figures_follow_the_models_verdict_rule() -> None:
    items = [scored("Kiwi", [0.0, 0.1, 0.0, 0.3, 0.6]), scored("not_fruit", [0.0, 0.0, 0.1, 0.0, 0.9])]
    strict = report(VOCAB, items, seconds_per_image=0.0, unknown=[])
    lenient = report(VOCAB, items, seconds_per_image=0.0, unknown=[], rule=VerdictRule(not_fruit_from=0.7))
    assert (strict.kind_accuracy, strict.fruit_kept) == (0.0, 0.0)  # 0.6 not a fruit: rejected from 0.5
    assert (lenient.kind_accuracy, lenient.fruit_kept, lenient.not_fruit_rejected) == (1.0, 1.0, 1.0)


def test_the_reject_class_never_takes_a_place_in_the_top_k() -> None:
    items = [scored("Kiwi", [0.05, 0.05, 0.1, 0.35, 0.45])]  # not_fruit is the most probable, but under 0.5
    result = report(VOCAB, items, seconds_per_image=0.0, unknown=[])
    assert result.accuracy == 1.0 and result.fruit_kept == 1.0


def test_the_kind_is_that_of_the_bots_first_answer_where_classes_sharing_a_name_are_summed() -> None:
    vocab = ["Apple Red 1", "Apple Red 2", "Peach", "not_fruit"]  # the two apples are both "Red apple"
    apple = report(vocab, [scored("Apple Red 1", [0.3, 0.3, 0.4, 0.0])], seconds_per_image=0.0, unknown=[])
    assert (apple.accuracy, apple.kind_accuracy) == (0.0, 1.0)  # Peach ranks first, but the bot says "Red apple"
    peach = report(vocab, [scored("Peach", [0.3, 0.3, 0.4, 0.0])], seconds_per_image=0.0, unknown=[])
    assert (peach.accuracy, peach.kind_accuracy) == (1.0, 0.0)  # Peach ranks first, but the bot says "Red apple"


def test_kind_is_the_first_word_of_the_class_unless_the_label_map_says_otherwise() -> None:
    assert kind("Apple Golden 1") == kind("Apple Red 1") == "Apple"
    assert kind("Pear Kaiser") == "Pear"
    assert kind("Maracuja") == kind("Passion Fruit")
