"""Retries of errors the SDKs do not retry by themselves: an error event in the middle of a stream.

HTTP-level 429/5xx/529 answers are retried inside the official SDKs, which honour
``retry-after``; a stream that starts with 200 and then reports ``overloaded_error`` is
surfaced as an exception instead, and is retried here with the same kind of backoff.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

MAX_BACKOFF_SECONDS = 30.0


def backoff_delay(attempt: int, base: float, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): ``retry-after`` wins."""
    if retry_after is not None and retry_after > 0:
        return min(retry_after, MAX_BACKOFF_SECONDS)
    jitter = 1 - 0.25 * random.random()
    return float(min(base * (2**attempt), MAX_BACKOFF_SECONDS) * jitter)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    is_transient: Callable[[BaseException], bool],
    max_retries: int,
    base_delay: float,
) -> T:
    """Await ``call``; on a transient error wait and try again, up to ``max_retries`` times."""
    attempt = 0
    while True:
        try:
            return await call()
        except Exception as exc:
            if attempt >= max_retries or not is_transient(exc):
                raise
            await asyncio.sleep(backoff_delay(attempt, base_delay))
            attempt += 1
