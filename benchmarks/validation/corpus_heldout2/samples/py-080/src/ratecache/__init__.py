"""Cache backends for the rate limiter.

`MemoryBackend` is a complete implementation for a single process (the
default for local development and tests); `RedisBackend` shares state
between processes and is what production configures.
"""
from __future__ import annotations

import threading
import time
from typing import Protocol


class Backend(Protocol):
    def incr(self, key: str, window_s: int) -> int: ...
    def reset(self, key: str) -> None: ...


class MemoryBackend:
    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, window_s: int) -> int:
        now = self._clock()
        with self._lock:
            count, expires = self._counts.get(key, (0, now + window_s))
            if now >= expires:
                count, expires = 0, now + window_s
            count += 1
            self._counts[key] = (count, expires)
            return count

    def reset(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisBackend:
    def __init__(self, url: str) -> None:
        import redis  # optional extra: only needed when this backend is chosen

        self._r = redis.Redis.from_url(url)

    def incr(self, key: str, window_s: int) -> int:
        pipe = self._r.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_s, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def reset(self, key: str) -> None:
        self._r.delete(key)


class RateLimiter:
    def __init__(self, backend: Backend, limit: int, window_s: int) -> None:
        self.backend = backend
        self.limit = limit
        self.window_s = window_s

    def allow(self, who: str) -> bool:
        return self.backend.incr(f"rl:{who}", self.window_s) <= self.limit


def from_url(url: str | None) -> Backend:
    if not url or url == "memory://":
        return MemoryBackend()
    if url.startswith(("redis://", "rediss://")):
        return RedisBackend(url)
    raise ValueError(f"unsupported cache URL {url!r}")
