"""Users: accounts, password hashing and rules, and who may see or change whom."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.observability import metrics
from claude_tui.services import audit_trail
from claude_tui.services.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)
from claude_tui.services.login_guard import AccountState, LoginGuard, delay_after
from claude_tui.services.principal import Principal
from claude_tui.services.tokens import (
    Revocation,
    RevocationCache,
    TokenPair,
    TokenPolicy,
    cache_revocations,
    start_session,
)
from claude_tui.storage.models import TokenFamily, User
from claude_tui.storage.types import utcnow

PASSWORD_MIN_LENGTH = 12
# Long enough for any passphrase; the bound keeps one request from costing minutes of hashing.
PASSWORD_MAX_LENGTH = 256
PASSWORD_MIN_DISTINCT = 5
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# A few passwords seen in every breach list that still pass the length rule.
_COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "passwordpassword",
        "123456789012",
        "qwertyuiop12",
        "qwertyuiopasdf",
        "iloveyou1234",
        "letmein12345",
        "administrator",
        "welcome12345",
        "changeme1234",
        "correcthorsebatterystaple",
    }
)

password_hasher = PasswordHash.recommended()


@functools.cache
def _dummy_hash() -> str:
    """The hash checked when the account does not exist, so both rejections take as long.

    Made on first use: an Argon2 hash costs about 0.1 s, which every process importing this
    module (the server, each CLI command) would otherwise pay at start-up.
    """
    return password_hasher.hash("claude-tui: no such account")


async def _dummy_hash_async() -> str:
    return await asyncio.to_thread(_dummy_hash)


@dataclass(frozen=True)
class UserView:
    """What the API shows about an account (never the password hash)."""

    id: int
    username: str
    email: str
    full_name: str
    is_admin: bool
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id,
            username=user.username,
            email=user.email,
            full_name=user.full_name,
            is_admin=user.is_admin,
            is_active=user.is_active,
            created_at=user.created_at,
        )


def check_text_fields(**fields: str | None) -> None:
    """Reject NUL characters: PostgreSQL cannot store them, so they would fail deep inside."""
    for name, value in fields.items():
        if value is not None and "\x00" in value:
            raise InvalidInputError(f"{name} contains a NUL character.")


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """Every rule the password breaks, as sentences a user can act on; empty when it is fine."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"it must have at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"it must have at most {PASSWORD_MAX_LENGTH} characters")
    if len(set(password)) < PASSWORD_MIN_DISTINCT:
        problems.append(f"it must use at least {PASSWORD_MIN_DISTINCT} different characters")
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS:
        problems.append("it is a commonly used password")
    for name, value in (("username", username), ("email name", email.split("@", 1)[0])):
        if len(value) >= 3 and value.lower() in lowered:
            problems.append(f"it must not contain your {name}")
    return problems


def check_password_rules(password: str, *, username: str = "", email: str = "") -> None:
    """Raise ``InvalidInputError`` naming every rule the password breaks."""
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise InvalidInputError("The password is not acceptable: " + "; ".join(problems) + ".")


async def hash_password(password: str) -> str:
    # Argon2 takes about 0.1 s of CPU: off the event loop so other requests keep flowing.
    return await asyncio.to_thread(password_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether the password matches; with no hash it spends the same time and says no."""
    target = password_hash if password_hash else await _dummy_hash_async()
    matches = await asyncio.to_thread(password_hasher.verify, password, target)
    return bool(matches) and password_hash is not None


def normalize_username(username: str) -> str:
    return username.strip().lower()


def _require(principal: Principal, scope: str) -> None:
    if not principal.allows(scope):
        raise PermissionDeniedError(f"This API key lacks the '{scope}' scope.")


def _require_admin(principal: Principal, scope: str) -> None:
    _require(principal, scope)
    if not principal.is_admin:
        raise PermissionDeniedError("Only administrators may do this.")


async def find_by_username(session: AsyncSession, username: str) -> User | None:
    result = await session.execute(
        select(User).where(User.username == normalize_username(username))
    )
    return result.scalar_one_or_none()


async def create_user(
    session: AsyncSession,
    actor: Principal,
    *,
    username: str,
    email: str,
    password: str,
    full_name: str = "",
    is_admin: bool = False,
) -> UserView:
    """Create an account. Only administrators (or the local operator) may."""
    _require_admin(actor, "users:write")
    check_text_fields(username=username, email=email, full_name=full_name)
    username = normalize_username(username)
    email = email.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInputError(
            "A username has 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise InvalidInputError("The email address is not valid.")
    check_password_rules(password, username=username, email=email)
    taken = await session.execute(
        select(User.username, User.email).where((User.username == username) | (User.email == email))
    )
    for row in taken:
        field = "username" if row.username == username else "email address"
        raise ConflictError(f"An account with this {field} already exists.")
    user = User(
        username=username,
        email=email,
        full_name=full_name.strip(),
        password_hash=await hash_password(password),
        is_admin=is_admin,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request took the name between check and insert
        await session.rollback()
        raise ConflictError("An account with this username or email address exists.") from exc
    audit_trail.record(
        session,
        "user.created",
        actor_id=actor.user_id if actor.via != "local" else None,
        target_type="user",
        target_id=user.id,
        detail={"username": username, "is_admin": is_admin, "by": actor.username},
    )
    await session.commit()
    return UserView.of(user)


async def count_admins(session: AsyncSession) -> int:
    result = await session.execute(
        select(func.count()).select_from(User).where(User.is_admin.is_(True))
    )
    return int(result.scalar_one())


async def _visible_user(session: AsyncSession, principal: Principal, user_id: int) -> User:
    # Another user's account is "not found" to a non-admin, so ids reveal nothing.
    user = await session.get(User, user_id)
    if user is None or (user.id != principal.user_id and not principal.is_admin):
        raise NotFoundError(f"No user with id {user_id}.")
    return user


async def get_user(session: AsyncSession, principal: Principal, user_id: int) -> UserView:
    """One account: your own, or any for an administrator."""
    _require(principal, "users:read")
    return UserView.of(await _visible_user(session, principal, user_id))


async def list_users(
    session: AsyncSession, principal: Principal, *, limit: int = 100, after_id: int = 0
) -> list[UserView]:
    """All accounts by id (administrators only)."""
    _require_admin(principal, "users:read")
    result = await session.execute(
        select(User).where(User.id > after_id).order_by(User.id).limit(limit)
    )
    return [UserView.of(user) for user in result.scalars()]


async def update_user(
    session: AsyncSession,
    principal: Principal,
    user_id: int,
    *,
    full_name: str | None = None,
    is_admin: bool | None = None,
    is_active: bool | None = None,
    cache: RevocationCache | None = None,
) -> UserView:
    """Change an account. Role and status changes are for administrators and are audited.

    Deactivation ends every session of the account, in the database and then in ``cache``;
    reactivation does not bring them back.
    """
    _require(principal, "users:write")
    check_text_fields(full_name=full_name)
    user = await _visible_user(session, principal, user_id)
    if (is_admin is not None or is_active is not None) and not principal.is_admin:
        raise PermissionDeniedError("Only administrators may change roles or deactivate users.")
    if user.id == principal.user_id and (is_admin is False or is_active is False):
        raise ConflictError("You cannot remove your own administrator role or deactivate yourself.")
    revoked: list[Revocation] = []
    if full_name is not None:
        user.full_name = full_name.strip()
    if is_admin is not None and is_admin != user.is_admin:
        audit_trail.record(
            session,
            "user.role_changed",
            actor_id=principal.user_id,
            target_type="user",
            target_id=user.id,
            detail={"role": "admin" if is_admin else "user", "was_admin": user.is_admin},
        )
        user.is_admin = is_admin
    if is_active is not None and is_active != user.is_active:
        audit_trail.record(
            session,
            "user.activated" if is_active else "user.deactivated",
            actor_id=principal.user_id,
            target_type="user",
            target_id=user.id,
        )
        user.is_active = is_active
        if not is_active:
            revoked = await _revoke_all_sessions(session, user.id, "deactivated")
    await session.commit()
    await cache_revocations(cache, revoked)
    return UserView.of(user)


async def change_password(
    session: AsyncSession,
    principal: Principal,
    user_id: int,
    *,
    current_password: str,
    new_password: str,
    cache: RevocationCache | None = None,
) -> None:
    """Change your own password; every session of the account ends (tokens issued before)."""
    _require(principal, "users:write")
    user = await _visible_user(session, principal, user_id)
    if user.id != principal.user_id:
        raise PermissionDeniedError("You can only change your own password.")
    if not await verify_password(current_password, user.password_hash):
        audit_trail.record(
            session,
            "user.password_change",
            actor_id=user.id,
            target_type="user",
            target_id=user.id,
            outcome="failure",
        )
        await session.commit()
        metrics.record_auth_failure(
            metrics.AuthMethod.PASSWORD, metrics.AuthFailureReason.BAD_CREDENTIALS
        )
        raise AuthenticationError("The current password is not correct.")
    check_password_rules(new_password, username=user.username, email=user.email)
    if await verify_password(new_password, user.password_hash):
        raise InvalidInputError("The new password must differ from the current one.")
    user.password_hash = await hash_password(new_password)
    user.password_changed_at = utcnow()
    revoked = await _revoke_all_sessions(session, user.id, "password_changed")
    audit_trail.record(
        session, "user.password_change", actor_id=user.id, target_type="user", target_id=user.id
    )
    await session.commit()
    await cache_revocations(cache, revoked)


async def _revoke_all_sessions(
    session: AsyncSession, user_id: int, reason: str
) -> list[Revocation]:
    """Revoke the account's live sessions; what to copy into the cache once committed."""
    families = await session.execute(
        select(TokenFamily).where(TokenFamily.user_id == user_id, TokenFamily.revoked_at.is_(None))
    )
    now = utcnow()
    revoked = []
    for family in families.scalars():
        family.revoked_at = now
        family.revoked_reason = reason
        revoked.append(Revocation.of_family(family))
    return revoked


def _failure_reason(user: User | None, valid: bool) -> metrics.AuthFailureReason:
    if user is None:
        return metrics.AuthFailureReason.UNKNOWN_USER
    if valid:
        return metrics.AuthFailureReason.DISABLED_ACCOUNT
    return metrics.AuthFailureReason.BAD_CREDENTIALS


async def unlock_user(session: AsyncSession, principal: Principal, username: str) -> User:
    """Clear an account's failed logins: its per-address locks and its delay end now."""
    _require_admin(principal, "users:write")
    user = None if "\x00" in username else await find_by_username(session, username)
    if user is None:
        raise NotFoundError(f"No user named {normalize_username(username)}.")
    user.failed_logins = 0
    user.locked_until = None
    audit_trail.record(
        session,
        "auth.unlock",
        actor_id=principal.user_id if principal.via != "local" else None,
        target_type="user",
        target_id=user.id,
        detail={"by": principal.username},
    )
    await session.commit()
    return user


def _account_state(user: User | None, guard: LoginGuard) -> AccountState | None:
    """The failure count and next-attempt time the database holds for an account."""
    if user is None:
        return None
    last = user.locked_until
    if last is not None and utcnow() - last > timedelta(minutes=guard.limits.lockout.multiples):
        # Failures a whole lockout period old no longer count.
        user.failed_logins = 0
        user.locked_until = None
    return AccountState(failures=user.failed_logins, next_attempt=user.locked_until)


def login_name_digest(secret_key: str, account: str) -> str:
    """How a login name that is not (known to be) an account appears in the audit trail.

    People type passwords into the name field: the log keeps a keyed hash, which still
    correlates repeated attempts, and which only a holder of the server's key can test a
    guess against.
    """
    digest = hmac.new(
        secret_key.encode(), account.encode("utf-8", "surrogatepass"), hashlib.sha256
    ).hexdigest()
    return f"name-hmac:{digest[:32]}"


async def password_login(
    session: AsyncSession,
    guard: LoginGuard,
    policy: TokenPolicy,
    *,
    username: str,
    password: str,
    client_addr: str | None,
) -> TokenPair:
    """The OAuth2 password grant: rate limits, lockout, password check, audit, new session."""
    account = normalize_username(username)
    attempted = login_name_digest(policy.secret_key, account)
    # A name PostgreSQL could not even compare is simply not an account.
    user = None if "\x00" in account else await find_by_username(session, account)
    try:
        # Locks first: an attempt refused by them does not use up the rates.
        await guard.check(account, client_addr, _account_state(user, guard))
        await guard.admit(account, client_addr)
    except RateLimitedError as exc:
        audit_trail.record(
            session,
            "auth.login",
            actor_id=None,
            target_type="user",
            target_id=user.id if user else attempted,
            outcome="failure",
            detail={"reason": "rate_limited", "message": exc.detail},
        )
        await session.commit()
        raise
    valid = await verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        locked = await guard.failed(account, client_addr, known=user is not None)
        if user is not None:
            user.failed_logins += 1
            pause = delay_after(user.failed_logins, guard.limits.lockout.amount)
            # Also the time of the last failure: the count lapses a lockout period after it.
            user.locked_until = utcnow() + timedelta(seconds=pause)
        audit_trail.record(
            session,
            "auth.login",
            actor_id=None,
            target_type="user",
            target_id=user.id if user else attempted,
            outcome="failure",
            detail={"reason": "inactive" if valid and user else "bad_credentials"},
        )
        if locked:
            audit_trail.record(
                session,
                "auth.lockout",
                actor_id=None,
                target_type="user",
                target_id=user.id if user else attempted,
                outcome="failure",
            )
        await session.commit()
        metrics.record_auth_failure(metrics.AuthMethod.PASSWORD, _failure_reason(user, valid))
        raise AuthenticationError("Incorrect username or password.")
    await guard.succeeded(account, client_addr)
    user.failed_logins = 0
    user.locked_until = None
    audit_trail.record(
        session, "auth.login", actor_id=user.id, target_type="user", target_id=user.id
    )
    return await start_session(session, policy, user)
