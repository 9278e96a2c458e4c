from __future__ import annotations

from celery import Celery
from celery.schedules import crontab

app = Celery("newsletter", broker="redis://localhost:6379/3", include=["newsletter.tasks.digest", "newsletter.tasks.bounces"])

app.conf.task_routes = {
    "newsletter.tasks.digest.*": {"queue": "mail"},
    "newsletter.tasks.bounces.process_bounces": {"queue": "low"},
}

app.conf.beat_schedule = {
    "weekly-digest": {"task": "newsletter.tasks.digest.send_weekly_digest", "schedule": crontab(day_of_week="mon", hour=7)},
    "bounces": {"task": "newsletter.tasks.bounces.process_bounces", "schedule": crontab(minute="*/10")},
}
