"""Waiting for a task, through the API, until it reaches a state the test expects."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx


async def wait_for(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    task_id: int,
    until: Callable[[dict[str, Any]], bool],
    seconds: float = 60,
) -> dict[str, Any]:
    """Poll ``GET /api/v1/tasks/{id}`` until ``until(task)``; fail with the last state."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        task: dict[str, Any] = (
            await client.get(f"/api/v1/tasks/{task_id}", headers=headers)
        ).json()
        if until(task):
            return task
        assert asyncio.get_running_loop().time() < deadline, f"task stuck: {task}"
        await asyncio.sleep(0.1)
