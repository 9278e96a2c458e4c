"""Whether this instance can serve traffic: database, schema revision and Redis."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claude_tui.observability import metrics
from claude_tui.services.redis_errors import redis_errors
from claude_tui.storage.database import Database
from claude_tui.storage.migrate import head_revision

if TYPE_CHECKING:
    from redis.asyncio import Redis


@dataclass(frozen=True)
class ComponentStatus:
    ok: bool
    detail: str


@dataclass(frozen=True)
class ReadinessReport:
    components: dict[str, ComponentStatus] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.components.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, c in self.components.items() if not c.ok]


class ReadinessService:
    def __init__(self, db: Database, redis: Redis | None, timeout: float) -> None:
        self._db = db
        self._redis = redis
        self._timeout = timeout

    async def check(self) -> ReadinessReport:
        checks: dict[str, asyncio.Task[ComponentStatus]] = {
            "database": asyncio.create_task(self._database())
        }
        if self._redis is not None:
            checks["redis"] = asyncio.create_task(self._redis_ping(self._redis))
        components = {name: await task for name, task in checks.items()}
        for name, status in components.items():
            metrics.READINESS.labels(component=name).set(1 if status.ok else 0)
        return ReadinessReport(components)

    async def _database(self) -> ComponentStatus:
        probe = await self._db.probe(self._timeout, head_revision())
        return ComponentStatus(probe.ok, probe.detail)

    async def _redis_ping(self, redis: Redis) -> ComponentStatus:
        try:
            await asyncio.wait_for(redis.ping(), self._timeout)
        except TimeoutError:
            return ComponentStatus(False, f"no answer within {self._timeout:g}s")
        except redis_errors() as exc:
            return ComponentStatus(False, f"{type(exc).__name__}: {exc}")
        return ComponentStatus(True, "ok")
