"""Shared test data: three registrations as the export produces them."""

import pytest


@pytest.fixture
def sample_rows() -> list[dict[str, int]]:
    # Hard-coded on purpose: the numbers are chosen so the totals are easy to check by hand.
    return [
        {"seats": 100},
        {"seats": 250},
        {"seats": 0},
    ]
