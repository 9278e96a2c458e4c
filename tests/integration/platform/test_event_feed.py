"""The event feed itself: ordering, no gaps or duplicates, recovery of a slow subscriber."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi import FastAPI

from claude_tui.services import events
from claude_tui.services.events import LocalBroadcaster
from claude_tui.storage.models import Project


async def _project(app: FastAPI) -> int:
    async with app.state.db.session() as session:
        project = Project(name="feed", workspace_path="feed")
        session.add(project)
        await session.commit()
        return project.id


async def _publish(
    app: FastAPI, broadcaster: Any, project_id: int, count: int, start: int = 0
) -> None:
    for index in range(start, start + count):
        async with app.state.db.session() as session:
            events.record(session, project_id, "agent.step", {"n": index})
            await events.commit(session, broadcaster)


async def test_a_subscriber_that_falls_behind_catches_up_from_the_table(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "SUBSCRIBER_BUFFER", 2)
    broadcaster = LocalBroadcaster()
    project_id = await _project(app)
    await _publish(app, broadcaster, project_id, 1)
    feed = events.follow(app.state.db.session, broadcaster, project_id, 0, keepalive=0.2)
    first = await anext(feed)
    assert first is not None
    assert first.payload == {"n": 0}
    # Seven events while nobody reads: the buffer of two overflows.
    await _publish(app, broadcaster, project_id, 7, start=1)
    seen = []
    async with asyncio.timeout(10):
        while len(seen) < 7:
            event = await anext(feed)
            if event is not None:
                seen.append(event.payload["n"])
    assert seen == list(range(1, 8))
    assert await anext(feed) is None  # nothing more: only a keep-alive
    await feed.aclose()


async def test_events_of_other_projects_are_not_delivered(app: FastAPI) -> None:
    broadcaster = LocalBroadcaster()
    mine = await _project(app)
    async with app.state.db.session() as session:
        other = Project(name="elsewhere", workspace_path="elsewhere")
        session.add(other)
        await session.commit()
        other_id = other.id
    feed = events.follow(app.state.db.session, broadcaster, mine, 0, keepalive=0.2)
    assert await anext(feed) is None
    await _publish(app, broadcaster, other_id, 2)
    await _publish(app, broadcaster, mine, 1)
    event = await anext(feed)
    assert event is not None
    assert event.project_id == mine
    await feed.aclose()
    assert broadcaster._subscribers == {}


async def test_events_written_by_another_process_reach_the_follower_in_order(
    app: FastAPI,
) -> None:
    # Two embedded servers on one database (the terminal UI and `claude-tui task`): each has
    # its own in-process broadcaster and sees none of the other's publications.
    here, there = LocalBroadcaster(), LocalBroadcaster()
    project_id = await _project(app)
    feed = events.follow(app.state.db.session, here, project_id, 0, keepalive=0.2)
    seen: list[int] = []

    async def read(count: int) -> None:
        async with asyncio.timeout(10):
            while len(seen) < count:
                event = await anext(feed)
                if event is not None:
                    seen.append(event.payload["n"])

    await _publish(app, there, project_id, 2)  # only the table knows
    await read(2)
    # The other process writes, and at once this one publishes a later event live: the
    # earlier one must not be skipped because a higher id came first.
    await _publish(app, there, project_id, 1, start=2)
    await _publish(app, here, project_id, 1, start=3)
    await read(4)
    assert seen == [0, 1, 2, 3]
    await feed.aclose()


@pytest.mark.redis
async def test_a_redis_subscription_survives_idle_periods_longer_than_the_socket_timeout(
    app: FastAPI, redis_server: Any
) -> None:
    from redis.asyncio import Redis

    from claude_tui.services.events import RedisBroadcaster

    redis = Redis.from_url(redis_server.url, socket_timeout=0.3)
    broadcaster = RedisBroadcaster(redis)
    project_id = await _project(app)
    try:
        feed = events.follow(app.state.db.session, broadcaster, project_id, 0, keepalive=0.2)
        assert await anext(feed) is None
        await asyncio.sleep(1.2)  # four socket timeouts with nothing to read
        await _publish(app, broadcaster, project_id, 1)
        async with asyncio.timeout(10):
            event = await anext(feed)
            while event is None:
                event = await anext(feed)
        assert event.payload == {"n": 0}
        await feed.aclose()
    finally:
        await redis.aclose()


@pytest.mark.redis
async def test_subscribers_recover_events_published_while_redis_was_down(
    app: FastAPI, redis_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis restarts under a live subscriber: the event broadcast during the outage is not
    lost, it is caught up from the table when the next event arrives."""
    from redis.asyncio import Redis

    from claude_tui.services.events import RedisBroadcaster
    from servers import RedisServer

    monkeypatch.setattr(events, "RESUBSCRIBE_SECONDS", 0.2)
    own = RedisServer().start()  # a server of this test's own, to stop and start again
    redis = Redis.from_url(own.url, socket_timeout=2)
    broadcaster = RedisBroadcaster(redis)
    project_id = await _project(app)
    try:
        feed = events.follow(app.state.db.session, broadcaster, project_id, 0, keepalive=0.2)
        assert await anext(feed) is None
        own.stop()
        await _publish(app, broadcaster, project_id, 1)  # stored; the broadcast fails
        own.start()
        seen: list[int] = []
        async with asyncio.timeout(20):
            while len(seen) < 2:
                await _publish(app, broadcaster, project_id, 1, start=1 + len(seen))
                event = await anext(feed)
                while event is not None:
                    seen.append(event.payload["n"])
                    if len(seen) >= 2:
                        break
                    event = await anext(feed)
        assert seen[:2] == [0, 1]
        await feed.aclose()
    finally:
        await redis.aclose()
        own.destroy()
