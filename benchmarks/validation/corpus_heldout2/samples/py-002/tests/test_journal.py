from decimal import Decimal

import pytest

from ledgerly import Journal, Posting
from ledgerly.journal import UnbalancedTransaction


def test_balanced_transaction_is_recorded():
    j = Journal()
    j.record("2024-01-03", "coffee", [Posting.of("expenses:food", "3.50"), Posting.of("assets:cash", "-3.50")])
    assert j.balances()["Expenses:Food"] == Decimal("3.50")


def test_unbalanced_is_rejected():
    with pytest.raises(UnbalancedTransaction):
        Journal().record("2024-01-03", "x", [Posting.of("a", "1"), Posting.of("b", "2")])
