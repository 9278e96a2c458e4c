"""Housekeeping for generated report files."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from reports.celery_app import app

log = logging.getLogger(__name__)

EXPORT_DIR = Path(os.environ.get("REPORTS_EXPORT_DIR", "/var/lib/reports/exports"))


def _expired(path: Path, cutoff: dt.datetime) -> bool:
    return dt.datetime.fromtimestamp(path.stat().st_mtime) < cutoff


@app.task
def purge_tmp_files(max_age_hours: int = 6) -> int:
    cutoff = dt.datetime.now() - dt.timedelta(hours=max_age_hours)
    removed = 0
    for path in EXPORT_DIR.glob("*.tmp"):
        if _expired(path, cutoff):
            path.unlink(missing_ok=True)
            removed += 1
    log.info("removed %d stale temp files", removed)
    return removed


@app.task
def vacuum_index() -> None:
    index = EXPORT_DIR / "index.json"
    if index.exists() and index.stat().st_size == 0:
        index.unlink()
