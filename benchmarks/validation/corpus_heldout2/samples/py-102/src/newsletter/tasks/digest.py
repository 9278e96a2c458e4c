from __future__ import annotations

import datetime as dt
import logging

from newsletter.worker import app

log = logging.getLogger(__name__)


@app.task(bind=True, max_retries=2, default_retry_delay=300)
def send_weekly_digest(self, week: str | None = None) -> int:
    monday = dt.date.fromisoformat(week) if week else dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    log.info("sending digest for the week of %s", monday)
    return monday.isocalendar()[1]
