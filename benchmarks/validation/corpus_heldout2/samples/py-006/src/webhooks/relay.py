"""Deliver signed webhook payloads to subscriber endpoints."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
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


class DeliveryLog:
    """Keeps failed deliveries so an operator can replay them later."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS failed ("
            " id INTEGER PRIMARY KEY, url TEXT NOT NULL, event TEXT NOT NULL,"
            " payload TEXT NOT NULL, status INTEGER, error TEXT, at REAL NOT NULL)"
        )

    def record(self, delivery: Delivery, payload: dict[str, object]) -> None:
        if delivery.status is not None and delivery.status < 300:
            return
        with self._db:
            self._db.execute(
                "INSERT INTO failed (url, event, payload, status, error, at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    delivery.subscription.url,
                    delivery.event,
                    json.dumps(payload),
                    delivery.status,
                    delivery.error,
                    time.time(),
                ),
            )

    def pending(self, url: str | None = None) -> list[tuple[int, str, str, dict[str, object]]]:
        query = "SELECT id, url, event, payload FROM failed"
        args: tuple[str, ...] = ()
        if url is not None:
            query += " WHERE url = ?"
            args = (url,)
        return [(i, u, e, json.loads(p)) for i, u, e, p in self._db.execute(query + " ORDER BY at", args)]

    def forget(self, row_id: int) -> None:
        with self._db:
            self._db.execute("DELETE FROM failed WHERE id = ?", (row_id,))


def replay(relay: Relay, log_: DeliveryLog, subs: dict[str, Subscription]) -> tuple[int, int]:
    ok = failed = 0
    for row_id, url, event, payload in log_.pending():
        sub = subs.get(url)
        if sub is None or not sub.active:
            log_.forget(row_id)
            continue
        result = relay.deliver(sub, event, payload)
        if result.status is not None and result.status < 300:
            log_.forget(row_id)
            ok += 1
        else:
            failed += 1
    return ok, failed
