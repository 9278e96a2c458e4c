"""Shared test data: three articles as the export produces them."""

import pytest


@pytest.fixture
def sample_rows() -> list[dict[str, int]]:
    # Hard-coded on purpose: the numbers are chosen so the totals are easy to check by hand.
    return [
        {"word_count": 100},
        {"word_count": 250},
        {"word_count": 0},
    ]
