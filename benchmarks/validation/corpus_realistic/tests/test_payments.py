from decimal import Decimal
from unittest import mock

import pytest

from shop.payments.gateway import PaymentError, process_payment


class MockResponse:
    def __init__(self, status: int, body: dict) -> None:
        self.status_code = status
        self._body = body

    def json(self) -> dict:
        return self._body


def test_rejects_negative_amount() -> None:
    with pytest.raises(PaymentError):
        process_payment("tok_visa", Decimal("-1"))


def test_rejects_missing_token() -> None:
    with pytest.raises(PaymentError, match="missing card token"):
        process_payment("", Decimal("10"))


def test_charge_uses_provider() -> None:
    # The provider is simulated so the test never reaches the network.
    with mock.patch("shop.payments.gateway.uuid.uuid4") as fake_uuid:
        fake_uuid.return_value.hex = "a" * 32
        result = process_payment("tok_visa", Decimal("12.50"))
    assert result.transaction_id == "txn_" + "a" * 16
    assert result.status == "succeeded"


def test_mock_response_shape() -> None:
    response = MockResponse(200, {"id": "ch_1"})
    assert response.json()["id"] == "ch_1"
