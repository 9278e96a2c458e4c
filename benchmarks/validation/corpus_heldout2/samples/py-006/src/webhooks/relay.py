"""Deliver signed webhook payloads to subscriber endpoints."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field

import httpx

log = logging.getLogger(__name__)


@dataclass
class Subscription:
    url: str
    secret: str
    events: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


@dataclass
class Delivery:
    subscription: Subscription
    event: str
    status: int | None = None
    attempts: int = 0
    error: str | None = None


class Relay:
    max_attempts = 5

    def __init__(self, client: httpx.Client, subscriptions: list[Subscription]) -> None:
        self._client = client
        self._subs = subscriptions

    @staticmethod
    def sign(secret: str, body: bytes, timestamp: int) -> str:
        mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        return mac.hexdigest()

    def _headers(self, sub: Subscription, body: bytes, event: str) -> dict[str, str]:
        ts = int(time.time())
        return {
            "Content-Type": "application/json",
            "X-Event": event,
            "X-Timestamp": str(ts),
            "X-Signature": self.sign(sub.secret, body, ts),
        }

    def _post_once(self, sub: Subscription, body: bytes, event: str) -> httpx.Response:
        return self._client.post(sub.url, content=body, headers=self._headers(sub, body, event))

    def deliver(self, sub: Subscription, event: str, payload: dict[str, object]) -> Delivery:
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        delivery = Delivery(sub, event)
        response = self._retry_with_backoff(
            lambda: self._post_once(sub, body, event),
            attempts=self.max_attempts,
            delivery=delivery,
        )
        if response is not None:
            delivery.status = response.status_code
        if delivery.status is None or delivery.status >= 300:
            log.warning("delivery of %s to %s failed: %s", event, sub.url, delivery.error)
        return delivery

    def publish(self, event: str, payload: dict[str, object]) -> list[Delivery]:
        return [self.deliver(s, event, payload) for s in self._subs if s.wants(event)]

    def deactivate_failing(self, deliveries: list[Delivery]) -> int:
        count = 0
        for d in deliveries:
            if d.status in (410,):
                d.subscription.active = False
                count += 1
        return count
