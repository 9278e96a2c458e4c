from __future__ import annotations

import datetime as dt
import logging

from reports.celery_app import app

log = logging.getLogger(__name__)


@app.task
def sales_summary(day: str | None = None) -> dict[str, object]:
    target = dt.date.fromisoformat(day) if day else dt.date.today() - dt.timedelta(days=1)
    log.info("building sales summary for %s", target)
    return {"day": target.isoformat(), "status": "queued-for-render"}


@app.task(bind=True, max_retries=3)
def stock_alerts(self) -> int:
    log.info("checking stock levels")
    return 0
