import pytest

from classifier.predict import DEFAULT_RULE, Verdict, VerdictRule, group_by_name, verdict_for

RULE = DEFAULT_RULE


def test_classes_with_the_same_display_name_are_summed() -> None:
    guesses = group_by_name(["Apple Red 1", "Apple Red 2", "Banana", "not_fruit"], [0.3, 0.25, 0.4, 0.05])
    assert [(g.name, round(g.p, 2)) for g in guesses] == [("Red apple", 0.55), ("Banana", 0.4), ("Not a fruit", 0.05)]
    assert guesses[0].label == "Apple Red 1"  # the most probable member names the group


@pytest.mark.parametrize(
    ("probs", "verdict"),
    [
        ([0.9, 0.05, 0.05], Verdict.FRUIT),
        ([RULE.fruit_from, 1 - RULE.fruit_from, 0.0], Verdict.FRUIT),
        ([RULE.fruit_from - 0.01, 0.3, 0.71 - RULE.fruit_from], Verdict.UNSURE),
        ([0.1, 0.1, 0.8], Verdict.NOT_FRUIT),
        ([1 - RULE.not_fruit_from - 0.1, 0.1, RULE.not_fruit_from], Verdict.NOT_FRUIT),
        ([0.4, 0.2, RULE.not_fruit_from - 0.1], Verdict.UNSURE),
    ],
)
def test_verdict_rule(probs: list[float], verdict: Verdict) -> None:
    assert verdict_for(group_by_name(["Banana", "Kiwi", "not_fruit"], probs)) is verdict


def test_a_weak_best_fruit_is_not_a_fruit_even_without_a_reject_class() -> None:
    vocab = [f"Fruit {chr(65 + i)}" for i in range(10)]  # unknown to labels.yaml, all distinct
    assert verdict_for(group_by_name(vocab, [0.1] * 10)) is Verdict.UNSURE
    assert verdict_for(group_by_name(vocab, [0.1] * 10), VerdictRule(fruit_below=0.15)) is Verdict.NOT_FRUIT


def test_the_thresholds_can_be_studied_with_other_rules() -> None:
    guesses = group_by_name(["Banana", "Kiwi", "not_fruit"], [0.3, 0.1, 0.6])
    assert verdict_for(guesses, VerdictRule(not_fruit_from=0.5)) is Verdict.NOT_FRUIT
    assert verdict_for(guesses, VerdictRule(not_fruit_from=0.7)) is Verdict.UNSURE
