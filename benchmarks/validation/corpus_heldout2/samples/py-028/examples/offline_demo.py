"""Run the client against a canned in-process API, no network or keys needed.

    python examples/offline_demo.py
"""
import json

import httpx

from paylink import PaylinkClient

CANNED = {
    ("POST", "/v2/payments"): {"id": "pay_demo_1", "status": "pending", "amount": 1999, "currency": "EUR"},
    ("GET", "/v2/payments/pay_demo_1"): {"id": "pay_demo_1", "status": "paid", "amount": 1999, "currency": "EUR"},
}


def fake_api(request: httpx.Request) -> httpx.Response:
    body = CANNED.get((request.method, request.url.path))
    if body is None:
        return httpx.Response(404, json={"code": "not_found", "message": request.url.path})
    return httpx.Response(200, json=body)


if __name__ == "__main__":
    client = PaylinkClient("sk_test_demo", transport=httpx.MockTransport(fake_api))
    created = client.create_payment(1999, "eur", "order-42")
    print(json.dumps(created, indent=2))
    print(json.dumps(client.get_payment(created["id"]), indent=2))
