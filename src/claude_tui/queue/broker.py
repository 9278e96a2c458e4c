"""Broker selection. The same code runs in both scales; only the settings differ."""

from __future__ import annotations

from contextlib import ExitStack
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from taskiq import AsyncBroker, InMemoryBroker, TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq_redis import RedisStreamBroker

from claude_tui.observability import correlation
from claude_tui.settings import Settings

#: The taskiq name of the one task entry point: run an AI task by its id.
EXECUTE_TASK = "claude_tui.execute_task"
STREAM = "claude-tui:tasks"
CONSUMER_GROUP = "claude-tui-workers"
#: A message a worker took but did not acknowledge within this time goes to another worker;
#: the task's lease then tells whether it is still being worked on.
REDELIVER_AFTER_MS = 60_000

# The receiver runs each message in its own asyncio task, so the scope opened before the task
# function and closed after it lives in that task's context and no other.
_message_scope: ContextVar[ExitStack | None] = ContextVar("message_scope", default=None)


class CorrelationMiddleware(TaskiqMiddleware):
    """Runs each message as part of the request that queued it: its ids and its trace.

    The scope opens before the receiver's own "executing" log line and closes after the task
    function returned, so every log line and span of the execution carries the request id and
    the trace id found in the message's labels.
    """

    def pre_execute(self, message: TaskiqMessage) -> TaskiqMessage:
        scope = ExitStack()
        scope.enter_context(correlation.incoming(message.labels))
        span = scope.enter_context(
            trace.get_tracer("claude_tui.queue").start_as_current_span(
                f"process {message.task_name}",
                kind=trace.SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "taskiq",
                    "messaging.operation": "process",
                    "messaging.message.id": message.task_id,
                },
            )
        )
        task_id = message.labels.get(correlation.TASK_ID_LABEL)
        if isinstance(task_id, str):
            span.set_attribute("claude_tui.task_id", task_id)
        _message_scope.set(scope)
        return message

    def post_execute(self, message: TaskiqMessage, result: TaskiqResult[Any]) -> None:
        scope = _message_scope.get()
        if scope is None:
            return
        _message_scope.set(None)
        if result.is_err:
            trace.get_current_span().set_status(trace.StatusCode.ERROR)
        scope.close()


def create_broker(settings: Settings) -> AsyncBroker:
    """Redis streams when ``redis_url`` is configured, the in-process broker otherwise."""
    broker: AsyncBroker
    if settings.redis_url:
        broker = RedisStreamBroker(
            settings.redis_url,
            queue_name=STREAM,
            consumer_group_name=CONSUMER_GROUP,
            idle_timeout=REDELIVER_AFTER_MS,
        )
    else:
        broker = InMemoryBroker(max_async_tasks=settings.agent_max_concurrent_tasks)
    return broker.with_middlewares(CorrelationMiddleware())
