from __future__ import annotations

import logging

from .models import Cart, ChargeResult
from .payments import PaymentClient, PaymentError

log = logging.getLogger(__name__)


class CheckoutError(Exception):
    pass


def checkout(cart: Cart, client: PaymentClient, payment_method: str) -> ChargeResult:
    if not cart.items:
        raise CheckoutError("cart is empty")
    try:
        result = client.charge(cart, payment_method)
    except PaymentError as exc:
        raise CheckoutError(str(exc)) from exc
    if result.status != "succeeded":
        raise CheckoutError(f"charge {result.charge_id} ended as {result.status}")
    log.info("checkout complete: %s", result.charge_id)
    return result
