"""Celery application and the periodic schedule of report jobs."""
from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

app = Celery(
    "reports",
    broker=os.environ.get("REPORTS_BROKER", "redis://localhost:6379/1"),
    backend=os.environ.get("REPORTS_BACKEND", "redis://localhost:6379/2"),
    include=["reports.jobs.daily", "reports.jobs.cleanup"],
)

app.conf.update(
    timezone="Europe/Berlin",
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_time_limit=15 * 60,
)

app.conf.beat_schedule = {
    "sales-summary": {
        "task": "reports.jobs.daily.sales_summary",
        "schedule": crontab(hour=6, minute=0),
    },
    "stock-alerts": {
        "task": "reports.jobs.daily.stock_alerts",
        "schedule": crontab(hour="7-19", minute=15),
    },
    "purge-exports": {
        "task": "reports.jobs.cleanup.purge_expired_exports",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"older_than_days": 14},
    },
}
