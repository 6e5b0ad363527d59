"""The model card's figures: counts and Wilson 95 % intervals, so a small evaluation set is read for what it is."""

from __future__ import annotations

import re

import pytest

from classifier.model_card import share


def interval(text: str) -> tuple[int, int, float, float]:
    match = re.search(r"\((\d+) of (\d+); 95 % interval ([\d.]+)%–([\d.]+)%\)", text)
    assert match, text
    return int(match[1]), int(match[2]), float(match[3]), float(match[4])


def test_a_share_names_its_count_and_wilson_interval() -> None:
    # 80 of 95: the textbook Wilson interval is 75.6 %–90.2 %
    assert interval(share(80 / 95, 95)) == (80, 95, 75.6, 90.2)
    assert share(80 / 95, 95).startswith("84.21% ")


@pytest.mark.parametrize(("hits", "n"), [(0, 20), (20, 20), (1, 3), (1899, 1900)])
def test_the_interval_holds_the_rate_and_stays_within_0_and_100(hits: int, n: int) -> None:
    count, total, low, high = interval(share(hits / n, n))
    assert (count, total) == (hits, n)
    assert 0.0 <= low <= 100 * hits / n <= high <= 100.0
    assert high - low > 0


def test_a_set_without_photos_of_a_kind_says_so() -> None:
    assert share(0.0, 0) == "no photos"
