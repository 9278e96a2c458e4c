"""The execution service: broker, runner, dispatcher and reaper, for the server or a worker.

In the embedded mode the server process owns an in-memory broker and runs tasks itself. With
Redis, the API only enqueues; ``claude-tui worker`` processes consume the Redis stream. In
both, a dispatcher enqueues every ``queued`` task exactly once (a Redis ``SET NX`` guards it
across processes) and a reaper fails tasks whose worker died.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from claude_tui import __version__
from claude_tui.domain.task_status import TaskStatus
from claude_tui.observability import metrics, tracing
from claude_tui.observability.logging import get_logger
from claude_tui.private_files import secure_data_dir
from claude_tui.services.events import Broadcaster
from claude_tui.services.redis_errors import redis_errors
from claude_tui.settings import Settings
from claude_tui.storage.database import Database
from claude_tui.storage.models import Task
from claude_tui.worker.leases import DatabaseLeases, LeaseStore, RedisLeases

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from taskiq import AsyncBroker

    from claude_tui.worker.runner import RunResult

# The broker and the runner (model SDKs, the agent's tools) are imported when execution starts:
# a server with no provider configured never loads them, and one with a provider is ready first.

log = get_logger(__name__)

DISPATCH_SECONDS = 1.0
#: How long an enqueued task is not enqueued again while it stays ``queued``.
DISPATCH_HOLD_SECONDS = 300.0


#: Heartbeats missed before a worker stops being ready, and before it stops being live: a
#: short loss of the queue takes it out of rotation before the kubelet restarts it.
READY_MISSED_BEATS = 3
LIVE_MISSED_BEATS = 6


class Heartbeat:
    """When this worker last reached its queue; the answer of its liveness and readiness probes."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: float | None = None

    def beat(self) -> None:
        self._last = time.monotonic()

    def check(self, missed_beats: int) -> tuple[bool, str]:
        """Fine while the last heartbeat is at most ``missed_beats`` intervals old."""
        last = self._last
        if last is None:
            return False, "no heartbeat yet: the task queue has not been reached"
        age = time.monotonic() - last
        limit = missed_beats * self.interval
        if age > limit:
            return False, f"last heartbeat {age:.1f}s ago, stale after {limit:g}s"
        return True, f"last heartbeat {age:.1f}s ago"

    def probes(self) -> dict[str, Callable[[], tuple[bool, str]]]:
        """The probe paths the worker's metrics port answers."""
        return {
            "/ready": lambda: self.check(READY_MISSED_BEATS),
            "/health": lambda: self.check(LIVE_MISSED_BEATS),
        }


class ExecutionService:
    """Everything that makes queued tasks run."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        broadcaster: Broadcaster | None,
        redis: Redis | None,
        *,
        consume: bool,
    ) -> None:
        from claude_tui.queue.broker import EXECUTE_TASK, create_broker
        from claude_tui.worker.runner import TaskRunner, reap_abandoned

        self.settings = settings
        self.db = db
        self.consume = consume
        self.broker: AsyncBroker = create_broker(settings)
        self.leases: LeaseStore = RedisLeases(redis) if redis is not None else DatabaseLeases(db)
        self.runner = TaskRunner(settings, db, broadcaster, self.leases, self.enqueue)
        self._reap_abandoned = reap_abandoned
        self.broadcaster = broadcaster
        runner = self.runner

        async def execute_task(task_id: int) -> str:
            result: RunResult = await runner.execute(task_id)
            return result.status

        self._task = self.broker.register_task(execute_task, task_name=EXECUTE_TASK)
        self._background: list[asyncio.Task[None]] = []

    async def enqueue(self, task_id: int) -> None:
        """Send a queued task to the broker (once, whichever process asks)."""
        if await self.leases.claim_dispatch(task_id, DISPATCH_HOLD_SECONDS):
            async with self.db.session() as session:
                labels = await session.scalar(select(Task.correlation).where(Task.id == task_id))
            await self._send(task_id, labels)

    async def _send(self, task_id: int, labels: dict[str, str] | None) -> None:
        """Put the task on the queue with the ids of the request that queued it."""
        await self._task.kicker().with_labels(**(labels or {})).kiq(task_id)

    async def start(self) -> None:
        """Start the broker and the background loops."""
        if self.consume:
            self.broker.is_worker_process = True
        await self.broker.startup()
        if self.consume and self.settings.redis_url is None:
            # Embedded: a running task whose lease nobody renews was left by a dead process;
            # another live process on this database (the UI, `claude-tui task`) keeps its own.
            await self._reap_abandoned(self.db, self.leases, self.broadcaster)
        self._background.append(asyncio.create_task(self._dispatch_forever()))
        if self.consume and self.settings.redis_url is not None:
            # Embedded processes reap once, at start: a lease of their own can lapse only
            # while their event loop is busy (a loaded machine), and failing the task then
            # would be wrong.
            self._background.append(asyncio.create_task(self._reap_forever()))

    async def stop(self) -> None:
        for job in self._background:
            job.cancel()
        for job in self._background:
            with contextlib.suppress(asyncio.CancelledError):
                await job
        self._background.clear()
        await self.broker.shutdown()

    async def dispatch_queued(self) -> int:
        """Enqueue every queued task not yet sent; returns how many were sent now."""
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(Task.id, Task.correlation)
                    .where(Task.status == TaskStatus.QUEUED.value)
                    .order_by(Task.id)
                )
            ).all()
        metrics.set_queue_depth("tasks", len(rows))
        sent = 0
        for task_id, labels in rows:
            if await self.leases.claim_dispatch(task_id, DISPATCH_HOLD_SECONDS):
                await self._send(task_id, labels)
                sent += 1
        return sent

    async def _dispatch_forever(self) -> None:
        while True:
            try:
                await self.dispatch_queued()
            except redis_errors(SQLAlchemyError) as exc:  # keep dispatching after a blip
                log.warning("dispatch_failed", error=str(exc))
            await asyncio.sleep(DISPATCH_SECONDS)

    async def _reap_forever(self) -> None:
        while True:
            try:
                reaped = await self._reap_abandoned(self.db, self.leases, self.broadcaster)
                if reaped:
                    log.warning("abandoned_tasks_failed", task_ids=reaped)
            except redis_errors(SQLAlchemyError) as exc:  # keep reaping after a blip
                log.warning("reap_failed", error=str(exc))
            await asyncio.sleep(self.settings.agent_lease_seconds / 2)


async def run_worker(settings: Settings, concurrency: int) -> None:
    """The ``claude-tui worker`` process: consume the Redis stream until stopped."""
    from redis.asyncio import Redis
    from taskiq.api import run_receiver_task

    from claude_tui.services.events import broadcaster_for

    if not settings.redis_url:
        raise RuntimeError(
            "claude-tui worker needs Redis (CLAUDE_TUI_REDIS_URL); without it the server runs "
            "tasks itself"
        )
    loose = secure_data_dir(settings.data_dir)
    if loose:
        log.warning("data_dir_not_private", paths=loose)
    # The worker's spans join the traces of the requests that queued its tasks.
    tracing.configure_tracing(
        "claude-tui-worker",
        version=__version__,
        environment=settings.env.value,
        otlp_endpoint=settings.otlp_endpoint,
    )
    db = Database(settings.database_url, pool_size=max(2, concurrency), max_overflow=concurrency)
    tracing.instrument_engine(db.engine)
    redis = Redis.from_url(settings.redis_url, socket_timeout=10)
    service = ExecutionService(settings, db, broadcaster_for(redis), redis, consume=True)
    await service.start()
    metrics_server = None
    heartbeat = Heartbeat(settings.worker_heartbeat_seconds)
    if settings.worker_metrics_port:
        try:
            metrics_server, _ = metrics.start_metrics_server(
                settings.worker_metrics_port, settings.worker_metrics_host, heartbeat.probes()
            )
        except OSError as exc:
            await service.stop()
            await redis.aclose()
            await db.dispose()
            raise RuntimeError(
                f"cannot serve worker metrics on {settings.worker_metrics_host}:"
                f"{settings.worker_metrics_port} ({exc.strerror}); give each worker its own "
                "CLAUDE_TUI_WORKER_METRICS_PORT, or 0 to turn it off"
            ) from exc
    beating = asyncio.create_task(_heartbeat(redis, heartbeat))
    log.info(
        "worker_started",
        holder=service.runner.holder,
        concurrency=concurrency,
        metrics_port=settings.worker_metrics_port or None,
    )
    try:
        await run_receiver_task(service.broker, max_async_tasks=concurrency, run_startup=False)
    finally:
        beating.cancel()
        if metrics_server is not None:
            metrics_server.shutdown()
        await service.stop()
        await redis.aclose()
        await db.dispose()


async def _heartbeat(redis: Redis, heartbeat: Heartbeat) -> None:
    """Record a heartbeat while this worker can reach its queue (the stall alert, the probes)."""
    while True:
        try:
            await redis.ping()
        except redis_errors() as exc:
            log.warning("worker_queue_unreachable", error=str(exc))
        else:
            metrics.record_worker_heartbeat()
            heartbeat.beat()
        await asyncio.sleep(heartbeat.interval)


async def start_execution(
    settings: Settings, db: Database, broadcaster: Broadcaster | None, redis: Redis | None
) -> ExecutionService | None:
    """The server's share of task execution, or None when no model provider is configured.

    The provider counts as configured by the environment or by the settings stored on the
    server (an administrator's choice in the Settings screen).

    Embedded, the server runs tasks itself; with Redis it only dispatches them to workers.
    """
    from claude_tui.agent.providers import ProviderNotConfiguredError, ensure_provider_configured
    from claude_tui.services.provider_settings import effective_settings_of

    try:
        effective = await effective_settings_of(db, settings)
    except SQLAlchemyError as exc:  # not migrated yet: the environment alone decides
        log.warning("provider_settings_unreadable", error=str(exc))
        effective = settings
    try:
        ensure_provider_configured(effective)
    except ProviderNotConfiguredError as exc:
        log.info("task_execution_off", reason=str(exc))
        return None
    service = ExecutionService(settings, db, broadcaster, redis, consume=redis is None)
    await service.start()
    return service
