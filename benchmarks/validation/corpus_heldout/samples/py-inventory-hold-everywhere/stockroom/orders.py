from stockroom.inventory import Inventory, OutOfStock, Reservation


def place(inventory: Inventory, order_id: str, lines: list[tuple[str, int]]) -> list[Reservation]:
    done: list[Reservation] = []
    try:
        for sku, quantity in lines:
            done.append(inventory.hold(sku, quantity, order_id))
    except OutOfStock:
        inventory.release(order_id)
        raise
    return done


def reserve_for_display(inventory: Inventory, sku: str) -> Reservation:
    """'Reserve' is still the word the shop staff use; the call is hold()."""
    return inventory.hold(sku, 1, f"display-{sku}")

