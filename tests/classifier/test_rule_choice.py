"""The verdict rule is chosen on held-out predictions: the reject thresholds that keep fruit and reject the rest
best, the lowest confidence at which "it is X" answers are right often enough, and a check on folds it was not
chosen on."""

from pathlib import Path

from classifier.config import VerdictRule
from classifier.results import Scored
from classifier.rule_choice import answers, choose_rule, cross_checked, grouped

VOCAB = ["Banana", "Lemon", "not_fruit"]


def photos(*answered: tuple[str, list[float]]) -> list:
    return grouped([Scored(Path(f"p{i}.jpg"), label, probs) for i, (label, probs) in enumerate(answered)], VOCAB)


def test_the_reject_threshold_keeps_doubtful_fruit_and_rejects_the_rest() -> None:
    # fruit photos whose reject class gets 0.65, non-fruit photos at 0.75: only a threshold between them does both
    chosen = choose_rule(photos(*[("Banana", [0.3, 0.05, 0.65])] * 3, *[("not_fruit", [0.2, 0.05, 0.75])] * 3))
    assert chosen.not_fruit_from == 0.7


def test_it_is_x_from_the_lowest_confidence_at_which_such_answers_are_right_often_enough() -> None:
    # 60 sure answers right, a lemon named banana at 0.6: "it is X" only above 0.6 at 95 %, from 0.5 at 50 %
    sure, mistake, carton = ("Banana", [0.9, 0.05, 0.05]), ("Lemon", [0.6, 0.35, 0.05]), ("not_fruit", [0, 0, 1])
    answered = photos(*[sure] * 60, mistake, carton)
    assert choose_rule(answered).fruit_from == 0.61
    assert choose_rule(answered, confident_right=0.5).fruit_from == 0.5
    tally = answers(answered, choose_rule(answered))
    assert (tally.confident, tally.confident_right, tally.unsure, tally.unsure_right) == (60, 60, 1, 1)
    assert (tally.fruit, tally.kept, tally.right_kind, tally.not_fruit, tally.rejected) == (61, 61, 60, 1, 1)


def test_a_threshold_must_prove_itself_on_enough_answers() -> None:
    # 20 of 20 right above 0.6 could be luck (the one-sided 95 % bound is 88 %): "it is X" only from the grid's top
    sure, mistake = ("Banana", [0.9, 0.05, 0.05]), ("Lemon", [0.6, 0.35, 0.05])
    assert choose_rule(photos(*[sure] * 20, mistake)).fruit_from == 0.99
    assert choose_rule(photos(*[sure] * 60, mistake)).fruit_from == 0.61


def test_each_fold_is_answered_by_the_rule_chosen_on_the_others() -> None:
    # each fold: 60 bananas named right at 0.9; fold 0 names a lemon banana at 0.75, fold 1 at 0.85. Fold 0's rule
    # (from 0.76) is too low for fold 1's mistake; fold 1's (from 0.86) answers fold 0's "not sure"
    right = ("Banana", [0.9, 0.05, 0.05])
    answered = photos(*[right] * 60, ("Lemon", [0.75, 0.2, 0.05]), *[right] * 60, ("Lemon", [0.85, 0.1, 0.05]))
    checked = cross_checked(answered, [0] * 61 + [1] * 61)
    assert (checked.confident, checked.confident_right, checked.unsure) == (121, 120, 1)
    # on all 122 photos at once, two mistakes among 122 answers pass the bound from the grid's bottom
    everywhere = answers(answered, choose_rule(answered))
    assert (everywhere.confident, everywhere.confident_right) == (122, 120)


def test_the_answers_of_a_rule() -> None:
    answered = photos(("Banana", [0.3, 0.05, 0.65]), ("Lemon", [0.45, 0.4, 0.15]), ("not_fruit", [0.6, 0.1, 0.3]))
    tally = answers(answered, VerdictRule(not_fruit_from=0.6, fruit_below=0.05, fruit_from=0.5))
    assert (tally.fruit, tally.kept, tally.unsure, tally.unsure_right, tally.right_kind) == (2, 1, 1, 1, 0)
    assert (tally.not_fruit, tally.rejected) == (1, 0)
