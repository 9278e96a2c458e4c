from __future__ import annotations

import pickle
import time
from typing import Any

import redis

from app.settings import settings


class RedisCache:
    def __init__(self, url: str, prefix: str = "app:") -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def get(self, key: str) -> Any | None:
        raw = self.client.get(self.prefix + key)
        return None if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any, ttl: int = 300) -> None:
        self.client.set(self.prefix + key, pickle.dumps(value), ex=ttl)


class MockCache:
    """In-memory cache used while Redis is not deployed."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any | None:
        expires, value = self.data.get(key, (0.0, None))
        return value if expires > time.time() else None

    def set(self, key: str, value: Any, ttl: int = 300) -> None:
        self.data[key] = (time.time() + ttl, value)


cache = MockCache() if not settings.redis_url else RedisCache(settings.redis_url)
