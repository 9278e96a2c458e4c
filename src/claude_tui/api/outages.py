"""Requests that fail because PostgreSQL/SQLite or Redis cannot be reached: a 503 naming the
dependency, with ``Retry-After``, and one log line per outage instead of a traceback each."""

from __future__ import annotations

import time
import types
from typing import Literal

from claude_tui.observability.logging import get_logger

Dependency = Literal["database", "redis"]
RETRY_AFTER_SECONDS = 5
# An outage that lasts is logged again this often, with the count of refused requests.
RELOG_SECONDS = 60.0

log = get_logger("claude_tui.outages")

# Errors that mean "could not talk to it", by class name: the client libraries are not
# imported here (the embedded server and the CLI never load redis).
_CONNECTION_ERROR_NAMES = frozenset(
    {
        "ConnectionError",
        "TimeoutError",
        "ConnectionDoesNotExistError",
        "CannotConnectNowError",
        "ConnectionFailureError",
        "ConnectionRejectionError",
        "TooManyConnectionsError",
        "BusyLoadingError",
    }
)
_DATABASE_MODULES = ("asyncpg", "sqlalchemy", "aiosqlite", "sqlite3")
_REDIS_MODULES = ("redis", "limits", "taskiq_redis")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException | None] = [exc]
    while stack and len(seen) < 12:
        current = stack.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        stack.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen


def _modules(exc: BaseException) -> list[str]:
    names = [type(exc).__module__]
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        names.append(str(tb.tb_frame.f_globals.get("__name__", "")))
        tb = tb.tb_next
    return names


def _owner(names: list[str]) -> Dependency | None:
    # The innermost frame decides: the library that was talking to its server.
    for name in reversed(names):
        root = name.split(".", 1)[0]
        if root in _REDIS_MODULES:
            return "redis"
        if root in _DATABASE_MODULES:
            return "database"
    return None


def unreachable_dependency(exc: BaseException) -> Dependency | None:
    """Which dependency ``exc`` says could not be reached, or None for any other error."""
    for error in _chain(exc):
        if getattr(error, "connection_invalidated", False):
            return "database"
        is_connection = isinstance(error, OSError | TimeoutError) or (
            type(error).__name__ in _CONNECTION_ERROR_NAMES
        )
        if is_connection:
            owner = _owner(_modules(error))
            if owner is not None:
                return owner
    return None


class OutageLog:
    """Logs the first refusal of an outage, then a reminder while it lasts."""

    def __init__(self) -> None:
        self._logged_at: dict[str, float] = {}
        self._refused: dict[str, int] = {}

    def refused(self, dependency: Dependency, exc: BaseException) -> None:
        now = time.monotonic()
        self._refused[dependency] = self._refused.get(dependency, 0) + 1
        last = self._logged_at.get(dependency)
        if last is not None and now - last < RELOG_SECONDS:
            return
        self._logged_at[dependency] = now
        reason = str(exc).strip().splitlines()
        log.warning(
            "dependency_unavailable",
            dependency=dependency,
            refused_requests=self._refused[dependency],
            error=type(exc).__name__,
            reason=reason[0][:300] if reason else "",
        )
        self._refused[dependency] = 0


def detail_for(dependency: Dependency) -> str:
    what = "The database" if dependency == "database" else "Redis"
    return f"{what} is unavailable; the request was not carried out. Try again shortly."
