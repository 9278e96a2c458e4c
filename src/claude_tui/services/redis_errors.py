"""The errors a Redis call can raise, with the redis package imported only when one is matched.

An ``except`` clause evaluates its expression only when an exception reaches it, so
``except redis_errors():`` keeps the redis client library out of every process that never
talks to Redis (the embedded server, the CLI): it would cost their start-up a tenth of a second.
"""

from __future__ import annotations


def redis_errors(*others: type[Exception]) -> tuple[type[Exception], ...]:
    """Redis's own error class and the socket errors under it, with ``others``."""
    from redis.exceptions import RedisError

    return (RedisError, OSError, *others)
