"""Turn web-shop orders into reservations."""

from dataclasses import dataclass

from stockroom.inventory import Inventory, OutOfStock, Reservation


@dataclass
class OrderLine:
    sku: str
    quantity: int


def place(inventory: Inventory, order_id: str, lines: list[OrderLine]) -> list[Reservation]:
    """All lines or nothing: a partial order is released again."""
    done: list[Reservation] = []
    try:
        for line in lines:
            done.append(inventory.reserve(line.sku, line.quantity, order_id))
    except OutOfStock:
        inventory.release(order_id)
        raise
    return done


def cancel(inventory: Inventory, order_id: str) -> int:
    return inventory.release(order_id)

