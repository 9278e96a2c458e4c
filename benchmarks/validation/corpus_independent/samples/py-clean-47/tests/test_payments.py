"""Settlement logic, with the gateway replaced by a fake."""

from typing import Any

import pytest

from helpdesk.payments import TicketPaymentClient, settle


class FakeGateway(TicketPaymentClient):
    """Records charges instead of calling the network."""

    def __init__(self, status: str) -> None:
        super().__init__(api_key="test-key", base_url="http://127.0.0.1:9")
        self.status = status
        self.calls: list[tuple[str, int]] = []

    def charge(self, ticket_id: str, amount_cents: int, currency: str = "EUR") -> dict[str, Any]:
        self.calls.append((ticket_id, amount_cents))
        return {"status": self.status, "charge_id": "ch_test_1", "amount": amount_cents}


def test_settle_returns_the_charge_id() -> None:
    gateway = FakeGateway("succeeded")
    assert settle(gateway, "A-1", 1250) == "ch_test_1"
    assert gateway.calls == [("A-1", 1250)]


def test_settle_refuses_a_declined_charge() -> None:
    with pytest.raises(RuntimeError, match="not accepted"):
        settle(FakeGateway("declined"), "A-2", 990)
