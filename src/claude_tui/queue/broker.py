"""Broker selection. The same code runs in both scales; only the settings differ."""

from __future__ import annotations

from taskiq import AsyncBroker, InMemoryBroker
from taskiq_redis import RedisStreamBroker

from claude_tui.settings import Settings

#: The taskiq name of the one task entry point: run an AI task by its id.
EXECUTE_TASK = "claude_tui.execute_task"
STREAM = "claude-tui:tasks"
CONSUMER_GROUP = "claude-tui-workers"
#: A message a worker took but did not acknowledge within this time goes to another worker;
#: the task's lease then tells whether it is still being worked on.
REDELIVER_AFTER_MS = 60_000


def create_broker(settings: Settings) -> AsyncBroker:
    """Redis streams when ``redis_url`` is configured, the in-process broker otherwise."""
    if settings.redis_url:
        return RedisStreamBroker(
            settings.redis_url,
            queue_name=STREAM,
            consumer_group_name=CONSUMER_GROUP,
            idle_timeout=REDELIVER_AFTER_MS,
        )
    return InMemoryBroker(max_async_tasks=settings.agent_max_concurrent_tasks)
