from decimal import Decimal

from pricing.cart import Line, cart_total
from pricing.rules import make_rule


def test_bulk_rule_applies_from_min_quantity():
    rules = {"tea": [make_rule("bulk", rate="0.10", min_quantity=10)]}
    assert cart_total([Line("tea", Decimal("4.00"), 10)], rules) == Decimal("36.00")
    assert cart_total([Line("tea", Decimal("4.00"), 9)], rules) == Decimal("36.00")
