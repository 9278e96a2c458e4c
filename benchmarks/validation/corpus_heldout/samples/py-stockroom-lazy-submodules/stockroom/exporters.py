import csv
import io

from stockroom.inventory import Inventory


def to_csv(inventory: Inventory) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "name", "on_hand", "reserved"])
    for item in inventory:
        writer.writerow([item.sku, item.name, item.on_hand, item.reserved])
    return buffer.getvalue()

