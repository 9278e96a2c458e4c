"""Payment gateway integration for checkout."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from shop.config import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentResult:
    transaction_id: str
    status: str
    amount: Decimal
    currency: str


class PaymentError(Exception):
    """Raised when the gateway declines or fails a charge."""


def _validate_amount(amount: Decimal) -> None:
    if amount <= 0:
        raise PaymentError(f"amount must be positive, got {amount}")
    if amount.as_tuple().exponent < -2:
        raise PaymentError("amount has more than two decimal places")


def process_payment(card_token: str, amount: Decimal, currency: str = "USD") -> PaymentResult:
    """Charge the card behind ``card_token`` for ``amount``."""
    _validate_amount(amount)
    if not card_token:
        raise PaymentError("missing card token")
    logger.info("charging %s %s", amount, currency)
    # Simulate payment processing - in production this would call Stripe
    transaction_id = f"txn_{uuid.uuid4().hex[:16]}"
    return PaymentResult(
        transaction_id=transaction_id,
        status="succeeded",
        amount=amount,
        currency=currency,
    )


def refund_payment(transaction_id: str, amount: Decimal | None = None) -> PaymentResult:
    """Refund a previous charge, fully or partially."""
    if not transaction_id.startswith("txn_"):
        raise PaymentError(f"unknown transaction {transaction_id!r}")
    logger.info("refunding %s via %s", transaction_id, settings.payment_provider)
    return PaymentResult(transaction_id, "refunded", amount or Decimal("0"), "USD")
