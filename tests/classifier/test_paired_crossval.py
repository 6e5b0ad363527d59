from pathlib import Path

import pytest
from scipy.stats import binomtest

from benchmarks.paired_crossval import paired, report
from classifier.calibration import mcnemar_exact
from classifier.config import DEFAULT_RULE, VerdictRule
from classifier.results import HeldOut, Scored

VOCAB = ["Banana", "Lemon", "not_fruit"]
BANANA, LEMON, REJECT = [0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]


def held_out(*answers: list[float], rule: VerdictRule = DEFAULT_RULE, folds: list[int] | None = None) -> HeldOut:
    """Three banana photos and a lemon photo, answered with `answers` in that order, and one carton photo."""
    labels = ["Banana", "Banana", "Banana", "Lemon"]
    photos = [
        Scored(Path(f"p{i}.jpg"), label, probs) for i, (label, probs) in enumerate(zip(labels, answers, strict=True))
    ]
    return HeldOut(VOCAB, [*photos, Scored(Path("carton.jpg"), "not_fruit", REJECT)], rule, folds or [])


@pytest.mark.parametrize("only_a, only_b", [(0, 0), (10, 0), (3, 9), (43, 29)])
def test_the_exact_mcnemar_test_is_a_two_sided_sign_test_on_the_discordant_photos(only_a: int, only_b: int) -> None:
    expected = binomtest(only_a, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0
    assert mcnemar_exact(only_a, only_b) == pytest.approx(expected)
    assert mcnemar_exact(only_b, only_a) == pytest.approx(expected)


def test_two_recipes_are_compared_photo_by_photo() -> None:
    a = held_out(BANANA, BANANA, REJECT, LEMON)  # the third banana called not-a-fruit
    b = held_out(LEMON, BANANA, BANANA, BANANA)  # the first banana and the lemon named wrong
    result = paired(a, b)
    assert (result.n, result.right_a, result.right_b, result.only_a, result.only_b) == (4, 3, 2, 2, 1)
    assert result.class_gain == {"Banana": 0, "Lemon": 1}
    assert result.p_value == pytest.approx(1.0)
    assert "right with A only 2, with B only 1" in report("calibrated", result) and "Lemon +1" in report("x", result)


def test_each_file_is_answered_by_the_verdict_rule_chosen_with_it() -> None:
    doubtful = [0.12, 0.03, 0.85]  # a banana the default rule calls not-a-fruit, one that rejects from 0.9 keeps
    a = held_out(BANANA, doubtful, BANANA, LEMON)
    b = held_out(BANANA, doubtful, BANANA, LEMON, rule=VerdictRule(not_fruit_from=0.9))
    assert (paired(a, b).only_a, paired(a, b).only_b) == (0, 1)


def test_files_that_hold_out_different_photos_are_refused() -> None:
    a = held_out(BANANA, BANANA, BANANA, LEMON)
    with pytest.raises(ValueError, match="same fruit photos"):
        paired(a, HeldOut(VOCAB, a.photos[1:]))


def test_held_out_predictions_round_trip_and_re_score_at_temperature_one(tmp_path: Path) -> None:
    a = held_out(BANANA, [0.6, 0.3, 0.1], BANANA, LEMON, rule=VerdictRule(0.8, 0.02, 0.9), folds=[0, 0, 1, 1, 0])
    a.write(tmp_path / "held-out.json")
    read = HeldOut.read(tmp_path / "held-out.json")
    assert read == a
    served = read.at_temperature_one(0.5)  # p ∝ sqrt(p): less sure, as a model without the temperature serves
    assert served.rule == DEFAULT_RULE and served.folds == [0, 0, 1, 1, 0]
    roots = [p**0.5 for p in (0.6, 0.3, 0.1)]
    assert served.photos[1].probs == pytest.approx([r / sum(roots) for r in roots])
    unchanged = read.at_temperature_one(1.0).photos
    assert all(s.probs == pytest.approx(t.probs) for s, t in zip(unchanged, a.photos, strict=True))
