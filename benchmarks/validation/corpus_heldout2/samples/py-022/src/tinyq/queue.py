"""A minimal Redis list-backed job queue.

2.0 renamed `push()` to `enqueue_job()` and its `delay` argument to
`delay_seconds`. The old spellings still work and warn, until 3.0.
"""
from __future__ import annotations

import json
import time
import uuid
import warnings
from typing import Any

import redis


class Queue:
    def __init__(self, client: redis.Redis, name: str = "default") -> None:
        self._r = client
        self.name = name

    @property
    def ready_key(self) -> str:
        return f"tinyq:{self.name}:ready"

    @property
    def delayed_key(self) -> str:
        return f"tinyq:{self.name}:delayed"

    # Old attribute name kept for callers of 1.x.
    @property
    def key(self) -> str:
        warnings.warn("Queue.key is now Queue.ready_key", DeprecationWarning, stacklevel=2)
        return self.ready_key

    def promote_due(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        due = self._r.zrangebyscore(self.delayed_key, 0, now)
        if due:
            pipe = self._r.pipeline()
            pipe.zrem(self.delayed_key, *due)
            pipe.rpush(self.ready_key, *due)
            pipe.execute()
        return len(due)

    def pop(self, timeout: int = 5) -> dict[str, Any] | None:
        self.promote_due()
        item = self._r.blpop([self.ready_key], timeout=timeout)
        if item is None:
            return None
        return json.loads(item[1])


def enqueue_job(queue: Queue, func: str, *args: Any, delay_seconds: float = 0, **kwargs: Any) -> str:
    job_id = uuid.uuid4().hex
    body = json.dumps({"id": job_id, "func": func, "args": args, "kwargs": kwargs})
    if delay_seconds > 0:
        queue._r.zadd(queue.delayed_key, {body: time.time() + delay_seconds})
    else:
        queue._r.rpush(queue.ready_key, body)
    return job_id


def push(queue: Queue, func: str, *args: Any, delay: float = 0, **kwargs: Any) -> str:
    """Deprecated alias of enqueue_job()."""
    warnings.warn("push() is now enqueue_job(delay_seconds=...)", DeprecationWarning, stacklevel=2)
    return enqueue_job(queue, func, *args, delay_seconds=delay, **kwargs)
