"""Load profile of a shopping session; run with ``locust -f loadtest/locustfile.py``."""

from __future__ import annotations

import random

from locust import HttpUser, between, task

PRODUCT_IDS = list(range(1, 201))


class Shopper(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.post("/auth/login", json={"email": "load@example.com", "password": "load-test-pass"})

    @task(5)
    def browse(self) -> None:
        self.client.get(f"/products/{random.choice(PRODUCT_IDS)}", name="/products/[id]")

    @task(1)
    def simulate_checkout(self) -> None:
        """Simulate a customer adding two products and paying with a test card."""
        for product in random.sample(PRODUCT_IDS, 2):
            self.client.post("/cart/items", json={"product_id": product, "quantity": 1})
        self.client.post("/checkout", json={"payment_method": "pm_card_visa"})
