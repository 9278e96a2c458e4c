"""Carry request id, task id and trace context across the task queue.

The producer (the API enqueuing a task) calls :func:`outgoing_labels` and puts the result in
the message's labels; the consumer (the worker) wraps the task's execution in
:func:`incoming`, so its log lines and spans join the request that created the task. Agent
steps are marked with :func:`agent_step`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate

from claude_tui.observability.context import agent_step_var, request_id_var, task_id_var

REQUEST_ID_LABEL = "request_id"
TASK_ID_LABEL = "task_id"
#: W3C trace-context keys written by the propagator.
TRACE_LABELS = ("traceparent", "tracestate")
_MAX_ID_LENGTH = 128


def outgoing_labels(task_id: str | None = None) -> dict[str, str]:
    """Labels to attach to a queue message: current request id, ``task_id``, trace context."""
    labels: dict[str, str] = {}
    propagate.inject(labels)
    request_id = request_id_var.get()
    if request_id:
        labels[REQUEST_ID_LABEL] = request_id
    task = task_id if task_id is not None else task_id_var.get()
    if task:
        labels[TASK_ID_LABEL] = task
    return labels


def _clean(value: Any) -> str | None:
    if not isinstance(value, str) or not value or len(value) > _MAX_ID_LENGTH:
        return None
    return value if value.isprintable() else None


@contextmanager
def incoming(labels: Mapping[str, Any]) -> Iterator[None]:
    """Run the block as part of the request and task that sent a message with ``labels``.

    Malformed or oversized ids are ignored rather than trusted: labels cross a process
    boundary.
    """
    carrier = {key: value for key in TRACE_LABELS if (value := _clean(labels.get(key)))}
    ctx_token = otel_context.attach(propagate.extract(carrier))
    request_token = request_id_var.set(_clean(labels.get(REQUEST_ID_LABEL)))
    task_token = task_id_var.set(_clean(labels.get(TASK_ID_LABEL)))
    try:
        yield
    finally:
        task_id_var.reset(task_token)
        request_id_var.reset(request_token)
        otel_context.detach(ctx_token)


@contextmanager
def task_scope(task_id: str) -> Iterator[None]:
    """Mark log lines of the block with ``task_id`` (when no message carried it)."""
    token = task_id_var.set(task_id)
    try:
        yield
    finally:
        task_id_var.reset(token)


@contextmanager
def agent_step(step: int) -> Iterator[None]:
    """Mark log lines of the block with the agent loop's step number."""
    token = agent_step_var.set(step)
    try:
        yield
    finally:
        agent_step_var.reset(token)
