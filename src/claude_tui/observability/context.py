"""Correlation ids carried through a request, a task and an agent step."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
client_addr_var: ContextVar[str | None] = ContextVar("client_addr", default=None)
task_id_var: ContextVar[str | None] = ContextVar("task_id", default=None)
agent_step_var: ContextVar[int | None] = ContextVar("agent_step", default=None)
