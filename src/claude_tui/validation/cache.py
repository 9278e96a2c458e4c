"""Results cache keyed by file content, location, project context and engine version.

Three layers, checked in order: memory (per process), disk (per machine) and Redis (shared
by every worker of a deployment, when configured). A hit in a slower layer fills the faster
ones. An unchanged file is never checked twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from claude_tui.validation.model import ENGINE_VERSION, Finding


def cache_key(
    display_path: str,
    content: bytes,
    context_digest: str,
    checks: Sequence[str],
    changed_lines: frozenset[int] | None,
) -> str:
    """The key of one file's results: everything that can change them, hashed."""
    digest = hashlib.sha256()
    for part in (
        ENGINE_VERSION,
        context_digest,
        ",".join(sorted(checks)),
        display_path,
        "all" if changed_lines is None else ",".join(map(str, sorted(changed_lines))),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    digest.update(content)
    return digest.hexdigest()


class CacheLayer(Protocol):
    name: str

    def get(self, key: str) -> list[dict[str, Any]] | None: ...

    def put(self, key: str, value: list[dict[str, Any]]) -> None: ...


class MemoryLayer:
    """An LRU dictionary in this process."""

    name = "memory"

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: list[dict[str, Any]]) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)


class DiskLayer:
    """One small JSON file per key under a directory; writes are atomic renames."""

    name = "disk"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[dict[str, Any]] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, list) else None

    def put(self, key: str, value: list[dict[str, Any]]) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(tmp, target)
        except OSError:
            # A read-only or full cache directory costs speed, never correctness.
            return


class RedisLayer:
    """Keys in Redis with a time to live, shared by every process of a deployment."""

    name = "redis"

    def __init__(
        self, url: str, ttl_seconds: int = 7 * 24 * 3600, prefix: str = "ctui:val:"
    ) -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl_seconds
        self.prefix = prefix

    def get(self, key: str) -> list[dict[str, Any]] | None:
        import redis

        try:
            raw = self.client.get(self.prefix + key)
        except redis.RedisError:
            return None
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        return data if isinstance(data, list) else None

    def put(self, key: str, value: list[dict[str, Any]]) -> None:
        import redis

        try:
            self.client.set(self.prefix + key, json.dumps(value), ex=self.ttl)
        except redis.RedisError:
            return


class ResultCache:
    """The layered cache; ``hits`` counts lookups answered, by layer name."""

    def __init__(self, layers: Sequence[CacheLayer]) -> None:
        self.layers = list(layers)
        self.hits: dict[str, int] = {layer.name: 0 for layer in self.layers}
        self.misses = 0

    @classmethod
    def default(cls, directory: Path | None = None, redis_url: str | None = None) -> ResultCache:
        """Memory and disk (and Redis when ``redis_url`` is given)."""
        if directory is None:
            import platformdirs

            directory = platformdirs.user_cache_path("claude-tui", appauthor=False) / "validation"
        layers: list[CacheLayer] = [MemoryLayer(), DiskLayer(directory)]
        if redis_url:
            layers.append(RedisLayer(redis_url))
        return cls(layers)

    def get(self, key: str, display_path: str) -> list[Finding] | None:
        for index, layer in enumerate(self.layers):
            value = layer.get(key)
            if value is None:
                continue
            self.hits[layer.name] += 1
            for faster in self.layers[:index]:
                faster.put(key, value)
            return [Finding.from_dict(item).with_path(display_path) for item in value]
        self.misses += 1
        return None

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        value = [f.to_dict() for f in findings]
        for layer in self.layers:
            layer.put(key, value)
