"""Brute-force protection for password logins.

Counters live in the ``limits`` storage (Redis when configured, so every replica shares
them; memory otherwise):

- attempts per client address (any username), e.g. ``30/minute``;
- attempts per account name (any address), e.g. ``10/minute``;
- failures per (account name, client address): reaching ``lockout_failures`` locks that
  account *from that address* for ``lockout_minutes``. The owner elsewhere still logs in, so
  a stranger's guesses cannot lock an administrator out;
- failures per account name beyond ``lockout_failures`` impose an exponential delay on the
  account before its next attempt (1 s, 2 s, 4 s... up to ``MAX_DELAY_SECONDS``), from any
  address: guessing across many addresses stays slow, and the owner waits seconds, not
  minutes.

For an existing account the database keeps its failure count and the time its next attempt
may come (``failed_logins``, ``locked_until``), so ``claude-tui users unlock`` clears both
at once, whichever storage the server uses; names that are no account are counted here the
same way, so answers do not tell which names exist.

Every refusal is a ``RateLimitedError`` (429) carrying the seconds until a retry can succeed.
A refusal by a rate is a rate-limit hit (scope ``login_address`` or ``login_account``); one by
a lock or a delay is an authentication failure (reason ``locked_out``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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
# The longest wait the per-account delay imposes: long enough to make guessing across many
# addresses slow (at most one guess a minute per account), short enough for the owner.
MAX_DELAY_SECONDS = 60
# Counts an unknown name's failures; never refuses by itself.
_UNBOUNDED = 1_000_000


@dataclass(frozen=True)
class AccountState:
    """What the database knows of an existing account: failures and when it may try again."""

    failures: int
    next_attempt: datetime | None


def delay_after(failures: int, threshold: int) -> int:
    """Seconds an account waits after ``failures`` failures in a row: 0, then 1, 2, 4..."""
    excess = failures - threshold
    if excess <= 0:
        return 0
    return min(MAX_DELAY_SECONDS, 1 << min(excess - 1, 16))


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
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError

        scheme, sep, rest = redis_url.partition("://")
        # As for the app's own client: a pooled connection that died with a Redis restart is
        # retried once on a fresh one, so the first login after a restart is not a 503.
        options: dict[str, Any] = {
            "socket_timeout": 5,
            "socket_connect_timeout": 2,
            "retry": Retry(NoBackoff(), 1),
            "retry_on_error": [RedisConnectionError],
        }
        return RedisStorage(f"async+{scheme}{sep}{rest}", implementation="redispy", **options)
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
        """Count an attempt against the rates; raise ``RateLimitedError`` past one."""
        account = username.strip().lower()
        address = client_addr or "unknown"
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

    def _window(self) -> RateLimitItem:
        from limits import RateLimitItemPerMinute

        return RateLimitItemPerMinute(
            _UNBOUNDED, self.limits.lockout.multiples, namespace=NAMESPACE
        )

    @staticmethod
    def _pause(seconds: int) -> RateLimitItem:
        from limits import RateLimitItemPerSecond

        return RateLimitItemPerSecond(1, seconds, namespace=NAMESPACE)

    async def _unknown_failures(self, account: str) -> int:
        stats = await self._failures.get_window_stats(self._window(), "fails", account)
        return _UNBOUNDED - stats.remaining

    async def check(
        self, username: str, client_addr: str | None, state: AccountState | None
    ) -> None:
        """Refuse an attempt while its (account, address) is locked or the account waits.

        ``state`` is the database's view of an existing account, None for a name that is no
        account. An account whose failure count was cleared (a success, or an operator's
        unlock) is not held by the locks of failures before it.
        """
        account = username.strip().lower()
        address = client_addr or "unknown"
        held = state is None or state.failures > 0
        if held and not await self._failures.test(self.limits.lockout, "lock", account, address):
            retry = await self._retry_after(
                self._failures, self.limits.lockout, "lock", account, address
            )
            self._locked_out()
            raise RateLimitedError(
                "This account is temporarily locked for this address after repeated failed logins.",
                retry_after=retry,
            )
        if state is not None:
            wait = 0.0
            if state.next_attempt is not None:
                wait = (state.next_attempt - datetime.now(UTC)).total_seconds()
            if wait > 0:
                self._locked_out()
                raise RateLimitedError(
                    "Too many failed logins for this account: wait before the next attempt.",
                    retry_after=math.ceil(wait),
                )
            return
        failures = await self._unknown_failures(account)
        pause = delay_after(failures, self.limits.lockout.amount)
        if pause and not await self._failures.test(
            self._pause(pause), "pause", account, str(failures)
        ):
            retry = await self._retry_after(
                self._failures, self._pause(pause), "pause", account, str(failures)
            )
            self._locked_out()
            raise RateLimitedError(
                "Too many failed logins for this account: wait before the next attempt.",
                retry_after=retry,
            )

    @staticmethod
    def _locked_out() -> None:
        metrics.record_auth_failure(
            metrics.AuthMethod.PASSWORD, metrics.AuthFailureReason.LOCKED_OUT
        )

    async def failed(self, username: str, client_addr: str | None, known: bool) -> bool:
        """Count a failed password; True when this failure locked the name for the address.

        An unknown name's failures are counted here; an account's are kept by the caller in
        the database (see ``delay_after``).
        """
        account = username.strip().lower()
        address = client_addr or "unknown"
        await self._failures.hit(self.limits.lockout, "lock", account, address)
        if not known:
            await self._failures.hit(self._window(), "fails", account)
            failures = await self._unknown_failures(account)
            pause = delay_after(failures, self.limits.lockout.amount)
            if pause:
                await self._failures.hit(self._pause(pause), "pause", account, str(failures))
        return not await self._failures.test(self.limits.lockout, "lock", account, address)

    async def succeeded(self, username: str, client_addr: str | None) -> None:
        """A correct password clears the failures counted from its address."""
        await self._failures.clear(
            self.limits.lockout, "lock", username.strip().lower(), client_addr or "unknown"
        )
