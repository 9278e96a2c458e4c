from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from app.services.orders import OrderService


@dataclass
class FakeClock:
    now: float = 1_700_000_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeOrderRepository:
    orders: dict[int, object] = field(default_factory=dict)

    def create(self, **fields: object) -> object:
        order_id = len(self.orders) + 1
        self.orders[order_id] = fields
        return fields

    def get(self, order_id: int) -> object:
        return self.orders[order_id]

    def save(self, order: object) -> None:
        pass


class DummyMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, subject: str) -> bool:
        self.sent.append((to, subject))
        return True


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def order_service() -> Iterator[OrderService]:
    yield OrderService(FakeOrderRepository())  # type: ignore[arg-type]
