"""Which folds' real photos fit the model that names a fold: all the others, or a learning curve's few."""

from collections import Counter

import pytest

from classifier.crossval import fitting_folds


def test_by_default_a_fold_is_named_by_a_model_fitted_on_all_the_other_folds() -> None:
    assert [sorted(fitting_folds(f, 4)) for f in range(4)] == [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]


@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_a_learning_curve_fits_each_model_on_m_other_folds_and_each_fold_fits_m_models(m: int) -> None:
    chosen = [fitting_folds(f, 5, m) for f in range(5)]
    assert all(len(folds) == m and f not in folds for f, folds in enumerate(chosen))
    assert Counter(fold for folds in chosen for fold in folds) == dict.fromkeys(range(5), m)
    assert chosen[4] == [0, 1, 2, 3][:m]  # the ones after it, round the circle


@pytest.mark.parametrize("m", [0, 5])
def test_a_model_needs_one_to_k_minus_one_other_folds(m: int) -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        fitting_folds(0, 5, m)
