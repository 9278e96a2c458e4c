from __future__ import annotations

import importlib
import logging
import traceback
from typing import Any, Callable

from .queue import Queue, enqueue_job

log = logging.getLogger(__name__)


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def work(queue: Queue, max_jobs: int | None = None, retry_delay: float = 30.0) -> int:
    done = 0
    while max_jobs is None or done < max_jobs:
        job = queue.pop()
        if job is None:
            continue
        try:
            resolve(job["func"])(*job["args"], **job["kwargs"])
        except Exception:
            log.error("job %s failed:\n%s", job["id"], traceback.format_exc())
            attempts = job["kwargs"].pop("_attempt", 0) + 1
            if attempts < 3:
                enqueue_job(queue, job["func"], *job["args"], delay_seconds=retry_delay, _attempt=attempts, **job["kwargs"])
        done += 1
    return done
