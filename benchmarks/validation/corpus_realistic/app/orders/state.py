from __future__ import annotations

from enum import Enum


class OrderState(str, Enum):
    NEW = "new"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


def can_cancel(state: OrderState) -> bool:
    if state in (OrderState.NEW, OrderState.PAID):
        return True
    # Shipped, delivered, cancelled and refunded orders go through returns instead.
    return False


def next_states(state: OrderState) -> set[OrderState]:
    transitions = {
        OrderState.NEW: {OrderState.PAID, OrderState.CANCELLED},
        OrderState.PAID: {OrderState.SHIPPED, OrderState.CANCELLED, OrderState.REFUNDED},
        OrderState.SHIPPED: {OrderState.DELIVERED},
        OrderState.DELIVERED: {OrderState.REFUNDED},
        # Cancelled and refunded are terminal.
    }
    return transitions.get(state, set())
