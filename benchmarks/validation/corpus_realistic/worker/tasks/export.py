from __future__ import annotations

import csv
import io
import logging
import time

from worker.app import celery_app
from worker.storage import upload_bytes

logger = logging.getLogger(__name__)


def rows_to_csv(rows: list[dict[str, object]]) -> bytes:
    if not rows:
        return b""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@celery_app.task(bind=True, max_retries=3)
def export_report(self, report_id: int, fmt: str = "csv") -> dict[str, object]:
    logger.info("exporting report %s as %s", report_id, fmt)
    # Simulate a long running export
    time.sleep(2)
    return {"report_id": report_id, "status": "completed", "url": f"/exports/{report_id}.{fmt}"}


@celery_app.task
def export_rows(rows: list[dict[str, object]], key: str) -> str:
    return upload_bytes(key, rows_to_csv(rows))
