from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from decimal import Decimal

from app.settings import settings


class PaymentProvider(ABC):
    @abstractmethod
    def charge(self, token: str, amount: Decimal) -> str:
        """Charge and return the provider's transaction id."""


class StripeProvider(PaymentProvider):
    def __init__(self, api_key: str) -> None:
        import stripe

        stripe.api_key = api_key
        self._stripe = stripe

    def charge(self, token: str, amount: Decimal) -> str:
        intent = self._stripe.PaymentIntent.create(
            amount=int(amount * 100), currency="usd", payment_method=token, confirm=True
        )
        return intent.id


class MockPaymentProvider(PaymentProvider):
    def charge(self, token: str, amount: Decimal) -> str:
        return f"mock_{uuid.uuid4().hex[:12]}"


def get_provider() -> PaymentProvider:
    if settings.stripe_key:
        return StripeProvider(settings.stripe_key)
    return MockPaymentProvider()
