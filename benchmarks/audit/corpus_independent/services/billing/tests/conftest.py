import pytest


@pytest.fixture
def webhook_payload() -> dict[str, str]:
    return {
        "id": "evt_4GSTHIbgpE7n13v1HqJ2Zy7j",
        "type": "invoice.paid",
        "request_id": "req_baDX9cYRzYOlMX",
        "idempotency_key": "1e010ede-3fd0-42ff-a46d-a8b096494dc2",
    }


@pytest.fixture
def signing_secret() -> str:
    return "whsec_test_secret"
