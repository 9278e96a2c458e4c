"""Brute-force protection for password logins.

Three counters, all in the ``limits`` storage (Redis when configured, so every replica shares
them; memory otherwise):

- attempts per client address (any username), e.g. ``30/minute``;
- attempts per account name (any address), e.g. ``10/minute``;
- failures per account name: reaching ``lockout_failures`` locks the account name for
  ``lockout_minutes``, whether or not such an account exists, so a lockout reveals nothing.

Every refusal is a ``RateLimitedError`` (429) carrying the seconds until a retry can succeed.
A refusal by a rate is a rate-limit hit (scope ``login_address`` or ``login_account``); one by
a lockout is an authentication failure (reason ``locked_out``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claude_tui.observability import metrics
from claude_tui.services.errors import RateLimitedError
from claude_tui.settings import Settings, SettingsError

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.aio.storage import Storage
    from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

# ``limits`` is imported on the first login, not when the server starts: it pulls in a
# deprecation helper and its wrappers that every process would otherwise pay for.

NAMESPACE = "ctui-login"


@dataclass(frozen=True)
class LoginLimits:
    per_address: RateLimitItem
    per_account: RateLimitItem
    lockout: RateLimitItem

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        from limits import RateLimitItemPerMinute, parse

        try:
            per_address = parse(settings.login_rate_per_address)
            per_account = parse(settings.login_rate_per_account)
        except ValueError as exc:
            raise SettingsError(f"login rate limits must read like '30/minute': {exc}") from exc
        lockout = RateLimitItemPerMinute(
            settings.lockout_failures, settings.lockout_minutes, namespace=NAMESPACE
        )
        return cls(per_address, per_account, lockout)


def storage_for(redis_url: str | None) -> Storage:
    """Redis storage when a Redis URL is configured, process memory otherwise."""
    from limits.aio.storage import MemoryStorage, RedisStorage

    if redis_url:
        scheme, sep, rest = redis_url.partition("://")
        return RedisStorage(f"async+{scheme}{sep}{rest}", implementation="redispy")
    return MemoryStorage()


class LoginGuard:
    """Decides whether a login attempt may be tried, and counts failures."""

    def __init__(self, limits: LoginLimits, storage: Storage) -> None:
        from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

        self.limits = limits
        self.storage = storage
        self._attempts = MovingWindowRateLimiter(storage)
        # The lockout window starts at the first failure and ends a fixed time later.
        self._failures = FixedWindowRateLimiter(storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginGuard:
        return cls(LoginLimits.from_settings(settings), storage_for(settings.redis_url))

    async def _retry_after(
        self,
        limiter: MovingWindowRateLimiter | FixedWindowRateLimiter,
        item: RateLimitItem,
        *ids: str,
    ) -> int:
        stats = await limiter.get_window_stats(item, *ids)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def admit(self, username: str, client_addr: str | None) -> None:
        """Count an attempt; raise ``RateLimitedError`` when it must not be tried."""
        account = username.strip().lower()
        address = client_addr or "unknown"
        if not await self._failures.test(self.limits.lockout, "lock", account):
            retry = await self._retry_after(self._failures, self.limits.lockout, "lock", account)
            metrics.record_auth_failure(
                metrics.AuthMethod.PASSWORD, metrics.AuthFailureReason.LOCKED_OUT
            )
            raise RateLimitedError(
                "This account is temporarily locked after repeated failed logins.",
                retry_after=retry,
            )
        if not await self._attempts.hit(self.limits.per_address, "addr", address):
            retry = await self._retry_after(
                self._attempts, self.limits.per_address, "addr", address
            )
            metrics.record_rate_limit_hit("login_address")
            raise RateLimitedError("Too many login attempts from this address.", retry_after=retry)
        if not await self._attempts.hit(self.limits.per_account, "acct", account):
            retry = await self._retry_after(
                self._attempts, self.limits.per_account, "acct", account
            )
            metrics.record_rate_limit_hit("login_account")
            raise RateLimitedError("Too many login attempts for this account.", retry_after=retry)

    async def failed(self, username: str) -> bool:
        """Count a failed password; True when this failure locked the account name."""
        account = username.strip().lower()
        await self._failures.hit(self.limits.lockout, "lock", account)
        return not await self._failures.test(self.limits.lockout, "lock", account)

    async def succeeded(self, username: str) -> None:
        """A correct password clears the failure count."""
        await self._failures.clear(self.limits.lockout, "lock", username.strip().lower())
