"""Who is running which task: leases that expire when the worker holding them dies.

A worker renews the lease of each task it runs every few seconds. A task that is running
or validating without a live lease was abandoned (the worker was killed or lost its
connection); the reaper marks it failed so it is never stuck in ``running``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from claude_tui.storage.database import Database

LEASE_PREFIX = "claude-tui:lease:task:"
DISPATCH_PREFIX = "claude-tui:dispatched:task:"


class LeaseStore(Protocol):
    async def acquire(self, task_id: int, holder: str, ttl_seconds: float) -> bool:
        """Take the task's lease if nobody holds it; only the holder may run the task."""
        ...

    async def renew(self, task_id: int, holder: str, ttl_seconds: float) -> None: ...

    async def alive(self, task_id: int) -> bool: ...

    async def release(self, task_id: int) -> None: ...

    async def claim_dispatch(self, task_id: int, ttl_seconds: float) -> bool:
        """True for the first caller within ``ttl_seconds``: that caller enqueues the task."""
        ...


class MemoryLeases:
    """Leases of the embedded mode, where one process queues and runs every task."""

    def __init__(self) -> None:
        self._leases: dict[int, float] = {}
        self._dispatched: dict[int, float] = {}

    async def acquire(self, task_id: int, holder: str, ttl_seconds: float) -> bool:
        if await self.alive(task_id):
            return False
        await self.renew(task_id, holder, ttl_seconds)
        return True

    async def renew(self, task_id: int, holder: str, ttl_seconds: float) -> None:
        self._leases[task_id] = time.monotonic() + ttl_seconds

    async def alive(self, task_id: int) -> bool:
        return self._leases.get(task_id, 0.0) > time.monotonic()

    async def release(self, task_id: int) -> None:
        self._leases.pop(task_id, None)
        self._dispatched.pop(task_id, None)

    async def claim_dispatch(self, task_id: int, ttl_seconds: float) -> bool:
        now = time.monotonic()
        if self._dispatched.get(task_id, 0.0) > now:
            return False
        self._dispatched[task_id] = now + ttl_seconds
        return True


class DatabaseLeases:
    """Leases in the database, for the processes of one machine that share no Redis.

    The terminal UI, ``claude-tui task`` and ``claude-tui serve`` without Redis each run
    tasks against the same database: a lease one of them holds is visible to the others,
    so a process starting up reaps only what a dead process left. Taking a lease is one
    conditional statement, so two processes never both get it.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        # Dispatch is per process: a second dispatch of one task finds its lease taken.
        self._dispatched = MemoryLeases()

    async def acquire(self, task_id: int, holder: str, ttl_seconds: float) -> bool:
        from sqlalchemy import update
        from sqlalchemy.exc import IntegrityError

        from claude_tui.storage.models import TaskLease

        now = time.time()
        async with self.db.session() as session:
            taken = await session.execute(
                update(TaskLease)
                .where(TaskLease.task_id == task_id, TaskLease.expires_at <= now)
                .values(holder=holder, expires_at=now + ttl_seconds)
            )
            if _rows(taken):
                await session.commit()
                return True
            if await session.get(TaskLease, task_id) is not None:
                return False
            session.add(TaskLease(task_id=task_id, holder=holder, expires_at=now + ttl_seconds))
            try:
                await session.commit()
            except IntegrityError:  # another process inserted it first
                return False
        return True

    async def renew(self, task_id: int, holder: str, ttl_seconds: float) -> None:
        from sqlalchemy import update

        from claude_tui.storage.models import TaskLease

        async with self.db.session() as session:
            await session.execute(
                update(TaskLease)
                .where(TaskLease.task_id == task_id, TaskLease.holder == holder)
                .values(expires_at=time.time() + ttl_seconds)
            )
            await session.commit()

    async def alive(self, task_id: int) -> bool:
        from sqlalchemy import select

        from claude_tui.storage.models import TaskLease

        async with self.db.session() as session:
            expires = await session.scalar(
                select(TaskLease.expires_at).where(TaskLease.task_id == task_id)
            )
        return expires is not None and expires > time.time()

    async def release(self, task_id: int) -> None:
        from sqlalchemy import delete

        from claude_tui.storage.models import TaskLease

        async with self.db.session() as session:
            await session.execute(delete(TaskLease).where(TaskLease.task_id == task_id))
            await session.commit()
        await self._dispatched.release(task_id)

    async def claim_dispatch(self, task_id: int, ttl_seconds: float) -> bool:
        return await self._dispatched.claim_dispatch(task_id, ttl_seconds)


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class RedisLeases:
    """Leases shared by every API process and worker through Redis keys with a TTL."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def acquire(self, task_id: int, holder: str, ttl_seconds: float) -> bool:
        key = f"{LEASE_PREFIX}{task_id}"
        return bool(await self.redis.set(key, holder, nx=True, px=int(ttl_seconds * 1000)))

    async def renew(self, task_id: int, holder: str, ttl_seconds: float) -> None:
        await self.redis.set(f"{LEASE_PREFIX}{task_id}", holder, px=int(ttl_seconds * 1000))

    async def alive(self, task_id: int) -> bool:
        return bool(await self.redis.exists(f"{LEASE_PREFIX}{task_id}"))

    async def release(self, task_id: int) -> None:
        await self.redis.delete(f"{LEASE_PREFIX}{task_id}", f"{DISPATCH_PREFIX}{task_id}")

    async def claim_dispatch(self, task_id: int, ttl_seconds: float) -> bool:
        key = f"{DISPATCH_PREFIX}{task_id}"
        return bool(await self.redis.set(key, "1", nx=True, px=int(ttl_seconds * 1000)))
