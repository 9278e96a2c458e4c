"""Quickstart: accept a payment with the shop SDK.

Run with ``python examples/quickstart.py``; it uses the sandbox keys below.
"""

from decimal import Decimal

from shop import Client

SANDBOX_KEY = "sk_test_example"


def charge_customer(client: Client, amount: Decimal) -> str:
    # In a real application you would collect the card token in the browser.
    token = "tok_visa"
    charge = client.charges.create(amount=amount, currency="EUR", source=token)
    return charge.id


class FakeInventory:
    """Stands in for your own stock system in this example."""

    def reserve(self, sku: str) -> bool:
        return True


if __name__ == "__main__":
    client = Client(api_key=SANDBOX_KEY)
    if FakeInventory().reserve("SKU-1"):
        print(charge_customer(client, Decimal("9.99")))
