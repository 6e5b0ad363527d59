"""The Wilson interval the model card prints and the verdict rule's lower bound use, against SciPy's."""

import pytest
from scipy.stats import binomtest

from classifier.intervals import ONE_SIDED_95, wilson


@pytest.mark.parametrize("hits, n", [(0, 5), (3, 9), (476, 497), (611, 643), (20, 20)])
def test_the_interval_is_scipys_wilson_interval(hits: int, n: int) -> None:
    two_sided = binomtest(hits, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson(hits, n) == pytest.approx((two_sided.low, two_sided.high), abs=1e-4)
    # the one-sided 95 % lower bound is the lower end of the two-sided 90 % interval
    ninety = binomtest(hits, n).proportion_ci(confidence_level=0.90, method="wilson")
    assert wilson(hits, n, ONE_SIDED_95)[0] == pytest.approx(ninety.low, abs=1e-4)


def test_nothing_counted_proves_nothing() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
