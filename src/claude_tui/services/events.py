"""Task events: persisted to ``task_events`` first, then broadcast to live subscribers.

Persisting first means a subscriber can always catch up: a client that reconnects with the
id of the last event it saw gets everything after it from the table, then the live feed.
The broadcast runs in-process in the embedded mode and over Redis pub/sub when Redis is
configured, so that every API process sees events published by any process or worker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.domain.roles import Action
from claude_tui.observability.logging import get_logger
from claude_tui.services.authorization import TASKS_READ, authorize_project
from claude_tui.services.principal import Principal
from claude_tui.services.redis_errors import redis_errors
from claude_tui.storage.models import TaskEvent

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = get_logger(__name__)

_PENDING_KEY = "claude_tui.pending_events"
REPLAY_BATCH = 500
SUBSCRIBER_BUFFER = 1000
CHANNEL_PREFIX = "claude-tui:events:"
RESUBSCRIBE_SECONDS = 1.0
#: Embedded mode: how often an idle follower reads events other processes wrote.
LOCAL_POLL_SECONDS = 1.0


class EventView(BaseModel):
    """One event as clients receive it."""

    id: int
    project_id: int
    task_id: int | None
    kind: str
    payload: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, event: TaskEvent) -> EventView:
        return cls(
            id=event.id,
            project_id=event.project_id,
            task_id=event.task_id,
            kind=event.kind,
            payload=event.payload,
            created_at=event.created_at,
        )


class Subscription(Protocol):
    """Live events of one project; ``lagged`` is set when some were dropped."""

    lagged: bool

    async def next(self, idle_seconds: float | None) -> EventView | None:
        """The next live event, or None when ``idle_seconds`` pass without one."""
        ...


class Broadcaster(Protocol):
    """Delivers persisted events to whoever listens on their project."""

    #: How often a follower also reads the table, for events that other processes wrote
    #: and this broadcaster cannot see; None when every writer publishes through it.
    poll_seconds: float | None

    async def publish(self, event: EventView) -> None: ...

    def subscribe(self, project_id: int) -> AbstractAsyncContextManager[Subscription]: ...


class _QueueSubscription:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[EventView] = asyncio.Queue(SUBSCRIBER_BUFFER)
        self.lagged = False

    def offer(self, event: EventView) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # A slow client must not hold memory or block publishers; it catches up from
            # the table instead.
            self.lagged = True

    async def next(self, idle_seconds: float | None) -> EventView | None:
        try:
            async with asyncio.timeout(idle_seconds):
                return await self.queue.get()
        except TimeoutError:
            return None


class LocalBroadcaster:
    """In-process broadcast for the embedded mode.

    Other processes may write to the same database (the terminal UI's and the CLI's embedded
    servers side by side): a follower reads the table every ``poll_seconds`` while idle.
    """

    poll_seconds: float | None = LOCAL_POLL_SECONDS

    def __init__(self) -> None:
        self._subscribers: dict[int, set[_QueueSubscription]] = {}

    async def publish(self, event: EventView) -> None:
        for subscription in list(self._subscribers.get(event.project_id, ())):
            subscription.offer(event)

    @asynccontextmanager
    async def subscribe(self, project_id: int) -> AsyncIterator[Subscription]:
        subscription = _QueueSubscription()
        self._subscribers.setdefault(project_id, set()).add(subscription)
        try:
            yield subscription
        finally:
            listeners = self._subscribers.get(project_id)
            if listeners is not None:
                listeners.discard(subscription)
                if not listeners:
                    del self._subscribers[project_id]


class RedisBroadcaster:
    """Broadcast over Redis pub/sub, one channel per project, shared by every process."""

    poll_seconds: float | None = None

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, event: EventView) -> None:
        await self._redis.publish(CHANNEL_PREFIX + str(event.project_id), event.model_dump_json())

    @asynccontextmanager
    async def subscribe(self, project_id: int) -> AsyncIterator[Subscription]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL_PREFIX + str(project_id))
        subscription = _QueueSubscription()

        async def pump() -> None:
            while True:
                try:
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            subscription.offer(EventView.model_validate_json(message["data"]))
                except redis_errors() as exc:
                    # Events published meanwhile are in the table: the subscriber catches up
                    # with the next event that arrives once Redis is back.
                    subscription.lagged = True
                    log.warning(
                        "event_subscription_interrupted", project_id=project_id, error=str(exc)
                    )
                    await asyncio.sleep(RESUBSCRIBE_SECONDS)

        pumping = asyncio.create_task(pump())
        try:
            yield subscription
        finally:
            from redis.exceptions import RedisError

            pumping.cancel()
            with contextlib.suppress(asyncio.CancelledError, RedisError):
                await pumping
            with contextlib.suppress(RedisError):
                await pubsub.unsubscribe()
                await pubsub.aclose()  # type: ignore[no-untyped-call]


def broadcaster_for(redis: Redis | None) -> Broadcaster:
    """Redis pub/sub when Redis is configured, in-process broadcast otherwise."""
    return RedisBroadcaster(redis) if redis is not None else LocalBroadcaster()


def record(
    session: AsyncSession,
    project_id: int,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    task_id: int | None = None,
) -> TaskEvent:
    """Add an event to the session; ``commit`` writes it and then broadcasts it."""
    event = TaskEvent(project_id=project_id, task_id=task_id, kind=kind, payload=payload or {})
    session.add(event)
    session.info.setdefault(_PENDING_KEY, []).append(event)
    return event


async def commit(session: AsyncSession, broadcaster: Broadcaster | None) -> None:
    """Commit the session, then broadcast the events it recorded.

    A failed broadcast is logged and swallowed: the events are already stored, and clients
    recover them by reconnecting with their last event id.
    """
    pending: list[TaskEvent] = session.info.pop(_PENDING_KEY, [])
    await session.commit()
    if broadcaster is None:
        return
    for event in pending:
        try:
            await broadcaster.publish(EventView.of(event))
        except redis_errors() as exc:
            log.warning("event_broadcast_failed", event_id=event.id, error=str(exc))


async def events_after(
    session: AsyncSession, project_id: int, after_id: int, limit: int = REPLAY_BATCH
) -> list[EventView]:
    """Stored events of a project with an id above ``after_id``, oldest first."""
    rows = await session.scalars(
        select(TaskEvent)
        .where(TaskEvent.project_id == project_id, TaskEvent.id > after_id)
        .order_by(TaskEvent.id)
        .limit(limit)
    )
    return [EventView.of(row) for row in rows]


async def list_events(
    session: AsyncSession,
    principal: Principal,
    project_id: int,
    *,
    after_id: int = 0,
    limit: int = 100,
) -> list[EventView]:
    """Events the principal may see, after ``after_id``."""
    await authorize_project(session, principal, project_id, Action.VIEW, scope=TASKS_READ)
    return await events_after(session, project_id, after_id, max(1, min(limit, REPLAY_BATCH)))


async def authorize_stream(session: AsyncSession, principal: Principal, project_id: int) -> None:
    """Raise unless the principal may follow the project's events."""
    await authorize_project(session, principal, project_id, Action.VIEW, scope=TASKS_READ)


async def follow(
    open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    broadcaster: Broadcaster,
    project_id: int,
    after_id: int,
    *,
    keepalive: float | None = None,
) -> AsyncIterator[EventView | None]:
    """Every event after ``after_id``: first the stored ones, then live ones as they come.

    The subscription opens before the replay query, so an event committed during the replay
    is either in the query result or in the live feed; ids already sent are skipped. With
    ``keepalive``, None is yielded whenever that many seconds pass without an event, so that
    the caller can keep an idle connection open.
    """
    last_id = after_id
    async with broadcaster.subscribe(project_id) as subscription:
        while True:
            async with open_session() as session:
                batch = await events_after(session, project_id, last_id)
            for event in batch:
                last_id = event.id
                yield event
            if len(batch) < REPLAY_BATCH:
                break
        poll = broadcaster.poll_seconds
        wait = keepalive if poll is None else min(poll, keepalive or poll)
        idle = 0.0
        while True:
            live = await subscription.next(wait)
            if live is None:
                if poll is not None:
                    async with open_session() as session:
                        written = await events_after(session, project_id, last_id)
                    if written:
                        idle = 0.0
                        for stored in written:
                            last_id = stored.id
                            yield stored
                        continue
                    idle += wait or 0.0
                    if keepalive is None or idle < keepalive:
                        continue
                idle = 0.0
                yield None
                continue
            idle = 0.0
            # A gap before a live event is what other processes wrote meanwhile: read it
            # from the table first, or the live event's id would hide it for good.
            if subscription.lagged or (poll is not None and live.id > last_id + 1):
                subscription.lagged = False
                async with open_session() as session:
                    missed = await events_after(session, project_id, last_id)
                for stored in missed:
                    last_id = stored.id
                    yield stored
            if live.id > last_id:
                last_id = live.id
                yield live
