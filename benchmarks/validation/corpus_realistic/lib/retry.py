from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry(fn: Callable[[], T], attempts: int = 5, base: float = 0.2) -> T:
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            return fn()
        except ConnectionError as exc:
            last = exc
            # Full jitter keeps many clients from retrying in lockstep.
            time.sleep(random.uniform(0, base * 2**attempt))
            continue
    assert last is not None
    raise last
