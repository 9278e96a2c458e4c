from stockroom.inventory import Inventory


def sell(inventory: Inventory, sku: str, quantity: int, receipt: str) -> int:
    inventory.hold(sku, quantity, receipt)
    return inventory.get(sku).available

