from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

from reports.celery_app import app

log = logging.getLogger(__name__)

DB_PATH = Path(os.environ.get("REPORTS_DB", "/var/lib/reports/shop.sqlite3"))
OUT_DIR = Path(os.environ.get("REPORTS_EXPORT_DIR", "/var/lib/reports/exports"))


def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


@app.task
def sales_summary(day: str | None = None) -> str:
    target = dt.date.fromisoformat(day) if day else dt.date.today() - dt.timedelta(days=1)
    with _connect() as conn:
        rows = conn.execute(
            "SELECT sku, SUM(quantity) AS units, SUM(quantity * unit_price) AS revenue "
            "FROM order_lines JOIN orders ON orders.id = order_lines.order_id "
            "WHERE date(orders.placed_at) = ? GROUP BY sku ORDER BY revenue DESC",
            (target.isoformat(),),
        ).fetchall()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"sales-{target.isoformat()}.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "units", "revenue"])
        writer.writerows((r["sku"], r["units"], f"{r['revenue']:.2f}") for r in rows)
    log.info("sales summary for %s: %d skus -> %s", target, len(rows), path)
    return str(path)


@app.task
def stock_alerts(threshold: int = 5) -> list[str]:
    with _connect() as conn:
        rows = conn.execute("SELECT sku FROM stock WHERE on_hand <= ? ORDER BY sku", (threshold,)).fetchall()
    low = [r["sku"] for r in rows]
    if low:
        log.warning("%d skus at or below %d units: %s", len(low), threshold, ", ".join(low))
    return low
