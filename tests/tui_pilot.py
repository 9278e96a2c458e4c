"""Helpers for driving the terminal UI with Textual's Pilot."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 60) -> None:
    """Let the app run until ``condition`` holds (workers and server calls finish)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    try:
        what = inspect.getsource(condition).strip()
    except (OSError, TypeError):
        what = repr(condition)
    raise AssertionError(f"the UI did not reach the expected state in time: {what}")
