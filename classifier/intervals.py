"""How far a share measured on a few hundred photos can be trusted: the Wilson score interval."""

from __future__ import annotations

import math

TWO_SIDED_95 = 1.96  # the interval the model card prints
ONE_SIDED_95 = 1.645  # a lower bound the true share stays above 95 % of the time


def wilson(hits: int, n: int, z: float = TWO_SIDED_95) -> tuple[float, float]:
    """The Wilson score interval of `hits` of `n` at `z` standard errors; (0, 1) when there is nothing to count."""
    if n == 0:
        return 0.0, 1.0
    centre = (hits + z * z / 2) / (n + z * z)
    half = z * math.sqrt(hits * (n - hits) / n + z * z / 4) / (n + z * z)
    return centre - half, centre + half
