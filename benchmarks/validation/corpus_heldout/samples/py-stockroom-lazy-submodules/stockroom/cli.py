import sys

import stockroom
from stockroom.inventory import Inventory, Item


def main() -> int:
    inventory = Inventory([Item("A-1", "bolt", 40), Item("A-2", "nut", 3)])
    sys.stdout.write(stockroom.exporters.to_csv(inventory))
    return 0

