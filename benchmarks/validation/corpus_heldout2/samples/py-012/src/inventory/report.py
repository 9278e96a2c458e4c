"""Build the weekly stock report workbook."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass
class StockRow:
    sku: str
    name: str
    warehouse: str
    on_hand: int
    reorder_point: int

    @property
    def needs_reorder(self) -> bool:
        return self.on_hand <= self.reorder_point


def read_rows(path: Path) -> list[StockRow]:
    """Read the ERP stock export (semicolon separated, German headers)."""
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for raw in csv.DictReader(fh, delimiter=";"):
            rows.append(
                StockRow(
                    sku=raw["Artikelnummer"].strip(),
                    name=raw["Bezeichnung"].strip(),
                    warehouse=raw["Lager"].strip(),
                    on_hand=int(raw["Bestand"] or 0),
                    reorder_point=int(raw["Meldebestand"] or 0),
                )
            )
    return rows


def reorder_list(rows: list[StockRow]) -> list[tuple[str, str, int]]:
    """SKU, warehouse and how many units bring stock back to twice the reorder point."""
    return [
        (r.sku, r.warehouse, 2 * r.reorder_point - r.on_hand)
        for r in sorted(rows, key=lambda r: (r.warehouse, r.sku))
        if r.needs_reorder
    ]


def _autosize(ws) -> None:
    for idx, column in enumerate(ws.columns, start=1):
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[get_column_letter(idx)].width = min(width + 2, 60)


def build_report(rows: list[StockRow], out: Path, week: dt.date) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Stock"
    headers = ["SKU", "Name", "Warehouse", "On hand", "Reorder point", "Reorder?"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in sorted(rows, key=lambda r: (r.warehouse, r.sku)):
        ws.append([row.sku, row.name, row.warehouse, row.on_hand, row.reorder_point, "yes" if row.needs_reorder else ""])
    _autosize(ws)

    summary = wb.create_sheet("Summary")
    by_wh: dict[str, list[StockRow]] = {}
    for row in rows:
        by_wh.setdefault(row.warehouse, []).append(row)
    summary.append(["Warehouse", "SKUs", "To reorder"])
    for wh, items in sorted(by_wh.items()):
        summary.append([wh, len(items), sum(1 for r in items if r.needs_reorder)])
    summary["E1"] = f"Week of {week:%d %b %Y}"
    for name, items in by_wh.items():
        low = [r for r in items if r.needs_reorder]
        summary.append([f"{name}: {", ".join(r.sku for r in low) or "nothing low"}"])
    _autosize(summary)

    target = out / f"stock-{week.isoformat()}.xlsx"
    wb.save(target)
    return target
