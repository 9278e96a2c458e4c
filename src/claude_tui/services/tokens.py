"""Session tokens: short-lived JWT access tokens and rotating refresh tokens.

A password login starts a *family*. Each refresh spends the presented refresh token and
returns a new one in the same family; presenting a spent token again means it was copied,
so the whole family is revoked. Logout revokes the family and the access token in use.
The database is the source of truth for revocation: a logout, a revoked family, a
deactivation and a session that was never recorded are all answered from it. Redis, when
configured, is a cache in front of it that only holds revocations: a hit refuses a token
before the database is asked, a miss (a restarted or flushed Redis, an entry never written)
falls through to the database, whose answer is written back. So both modes give the same
answers, and losing Redis's contents never revives a token.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import jwt
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.observability import metrics
from claude_tui.observability.logging import get_logger
from claude_tui.services import audit_trail
from claude_tui.services.errors import AuthenticationError
from claude_tui.services.principal import Principal
from claude_tui.services.redis_errors import redis_errors
from claude_tui.storage.models import RefreshToken, RevokedAccessToken, TokenFamily, User
from claude_tui.storage.types import utcnow

log = get_logger(__name__)

ALGORITHM = "HS256"
ISSUER = "claude-tui"
ACCESS_TYPE = "access"
REDIS_PREFIX = "ctui:revoked:"
_INVALID = "The access token is invalid or expired; log in again."


class RevocationCache(Protocol):
    """The part of ``redis.asyncio.Redis`` the revocation list uses."""

    async def set(self, name: str, value: str, ex: int | None = None) -> Any: ...

    async def exists(self, *names: str) -> int: ...


@dataclass(frozen=True)
class TokenPolicy:
    """How tokens are signed and how long they live."""

    secret_key: str
    access_ttl: timedelta
    refresh_ttl: timedelta


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says."""

    user_id: int
    jti: str
    family_id: str
    issued_at: datetime
    expires_at: datetime


def _refused(
    message: str,
    reason: metrics.AuthFailureReason,
    method: metrics.AuthMethod = metrics.AuthMethod.ACCESS_TOKEN,
) -> AuthenticationError:
    """The error refusing a token, counted as an authentication failure."""
    metrics.record_auth_failure(method, reason)
    return AuthenticationError(message)


def hash_refresh_token(token: str) -> str:
    # Refresh tokens are 256 random bits: a fast hash is enough, nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def _encode_access(policy: TokenPolicy, user_id: int, family_id: str) -> tuple[str, str]:
    now = utcnow()
    jti = uuid.uuid4().hex
    claims = {
        "iss": ISSUER,
        "sub": str(user_id),
        "typ": ACCESS_TYPE,
        "jti": jti,
        "fam": family_id,
        "iat": now,
        "exp": now + policy.access_ttl,
    }
    return jwt.encode(claims, policy.secret_key, algorithm=ALGORITHM), jti


def decode_access_token(policy: TokenPolicy, token: str) -> AccessClaims:
    """Verify signature, issuer, type and expiry; raise ``AuthenticationError`` otherwise."""
    try:
        claims = jwt.decode(
            token,
            policy.secret_key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "jti", "iss"]},
        )
        if claims.get("typ") != ACCESS_TYPE or not isinstance(claims.get("fam"), str):
            raise jwt.InvalidTokenError("not an access token")
        user_id = int(claims["sub"])
        issued_at = datetime.fromtimestamp(int(claims["iat"]), tz=utcnow().tzinfo)
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=utcnow().tzinfo)
    except jwt.ExpiredSignatureError as exc:
        raise _refused(_INVALID, metrics.AuthFailureReason.EXPIRED_TOKEN) from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise _refused(_INVALID, metrics.AuthFailureReason.INVALID_TOKEN) from exc
    return AccessClaims(user_id, str(claims["jti"]), claims["fam"], issued_at, expires_at)


async def _new_refresh_token(
    session: AsyncSession, policy: TokenPolicy, family: TokenFamily
) -> str:
    raw = secrets.token_urlsafe(32)
    expires_at = min(utcnow() + policy.refresh_ttl, family.expires_at)
    session.add(
        RefreshToken(family_id=family.id, token_hash=hash_refresh_token(raw), expires_at=expires_at)
    )
    return raw


async def start_session(session: AsyncSession, policy: TokenPolicy, user: User) -> TokenPair:
    """A new token family for a user who just proved who they are. Commits."""
    family = TokenFamily(
        id=uuid.uuid4().hex, user_id=user.id, expires_at=utcnow() + policy.refresh_ttl
    )
    session.add(family)
    # No ORM relationship orders the inserts, so the family row must exist first.
    await session.flush()
    refresh = await _new_refresh_token(session, policy, family)
    access, _jti = _encode_access(policy, user.id, family.id)
    await session.commit()
    return TokenPair(access, refresh, int(policy.access_ttl.total_seconds()))


async def refresh_session(
    session: AsyncSession,
    policy: TokenPolicy,
    raw_token: str,
    cache: RevocationCache | None = None,
) -> TokenPair:
    """Spend a refresh token for a new pair. A token presented twice revokes its family."""
    rejected = "The refresh token is invalid, expired or revoked."
    method = metrics.AuthMethod.REFRESH_TOKEN
    reason = metrics.AuthFailureReason
    found = await session.execute(
        select(RefreshToken, TokenFamily, User)
        .join(TokenFamily, RefreshToken.family_id == TokenFamily.id)
        .join(User, TokenFamily.user_id == User.id)
        .where(RefreshToken.token_hash == hash_refresh_token(raw_token))
    )
    row = found.one_or_none()
    if row is None:
        raise _refused(rejected, reason.INVALID_TOKEN, method)
    token, family, user = row
    now = utcnow()
    if not user.is_active:
        raise _refused(rejected, reason.DISABLED_ACCOUNT, method)
    if family.revoked_at is not None:
        raise _refused(rejected, reason.REVOKED_TOKEN, method)
    # Spend the token atomically: of two concurrent refreshes with one token, one wins and
    # the other is treated as reuse.
    spent = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:
        revoked = _revoke_family(family, "refresh_reuse")
        audit_trail.record(
            session,
            "token.refresh_reuse",
            actor_id=user.id,
            target_type="token_family",
            target_id=family.id,
            outcome="failure",
            detail={"family_revoked": True},
        )
        await session.commit()
        await cache_revocations(cache, [revoked])
        log.warning("refresh_token_reuse", user_id=user.id, family=family.id)
        metrics.record_refresh_token_reuse()
        raise _refused(rejected, reason.REVOKED_TOKEN, method)
    if token.expires_at <= now:
        await session.rollback()
        raise _refused(rejected, reason.EXPIRED_TOKEN, method)
    refresh = await _new_refresh_token(session, policy, family)
    access, _jti = _encode_access(policy, user.id, family.id)
    await session.commit()
    return TokenPair(access, refresh, int(policy.access_ttl.total_seconds()))


def family_key(family_id: str) -> str:
    return f"{REDIS_PREFIX}fam:{family_id}"


def jti_key(jti: str) -> str:
    return f"{REDIS_PREFIX}jti:{jti}"


@dataclass(frozen=True)
class Revocation:
    """A revocation to copy into the cache: its key, why, and until when it matters."""

    key: str
    reason: str
    until: datetime

    @classmethod
    def of_family(cls, family: TokenFamily) -> Revocation:
        return cls(family_key(family.id), family.revoked_reason or "revoked", family.expires_at)


async def cache_revocations(
    cache: RevocationCache | None, revocations: Iterable[Revocation]
) -> None:
    """Copy revocations the database already holds into the cache.

    Called after the commit: a revocation is never in Redis only, and a Redis that fails
    here still leaves the token refused by the database.
    """
    if cache is None:
        return
    now = utcnow()
    for revocation in revocations:
        # Past its expiry the token is refused anyway: the entry can lapse with it.
        ttl = max(1, int((revocation.until - now).total_seconds()))
        await cache.set(revocation.key, revocation.reason, ex=ttl)


def _revoke_family(family: TokenFamily, reason: str) -> Revocation:
    family.revoked_at = utcnow()
    family.revoked_reason = reason
    return Revocation.of_family(family)


async def logout(
    session: AsyncSession, claims: AccessClaims, cache: RevocationCache | None = None
) -> None:
    """Revoke the session the access token belongs to, and the access token itself."""
    revocations = [Revocation(jti_key(claims.jti), "logout", claims.expires_at)]
    family = await session.get(TokenFamily, claims.family_id)
    if family is not None and family.revoked_at is None:
        revocations.append(_revoke_family(family, "logout"))
    if await session.get(RevokedAccessToken, claims.jti) is None:
        session.add(
            RevokedAccessToken(jti=claims.jti, user_id=claims.user_id, expires_at=claims.expires_at)
        )
    audit_trail.record(
        session,
        "auth.logout",
        actor_id=claims.user_id,
        target_type="token_family",
        target_id=claims.family_id,
    )
    await session.commit()
    await cache_revocations(cache, revocations)


async def _cached_revocation(cache: RevocationCache, claims: AccessClaims) -> bool:
    """Whether the cache holds a revocation of the token or its session (a miss proves nothing)."""
    hits = await cache.exists(jti_key(claims.jti), family_key(claims.family_id))
    return hits > 0


async def _write_back(cache: RevocationCache, revocation: Revocation) -> None:
    """Put a revocation the database answered into the cache; the token is refused either way."""
    try:
        await cache_revocations(cache, [revocation])
    except redis_errors() as exc:
        log.warning("revocation_cache_write_failed", key=revocation.key, error=type(exc).__name__)


async def principal_for_access_token(
    session: AsyncSession,
    policy: TokenPolicy,
    token: str,
    cache: RevocationCache | None = None,
) -> tuple[Principal, AccessClaims]:
    """The principal an access token stands for, checked against the current account.

    This runs on every request. The account and the revocation state of the token and of its
    session come back in one database round trip, in both modes; with Redis, a revocation
    it holds refuses the token before that.
    """
    claims = decode_access_token(policy, token)
    if cache is not None and await _cached_revocation(cache, claims):
        raise _refused(_INVALID, metrics.AuthFailureReason.REVOKED_TOKEN)
    jti_revoked = (
        select(RevokedAccessToken.jti).where(RevokedAccessToken.jti == claims.jti).exists()
    )
    row = (
        await session.execute(
            select(
                User,
                TokenFamily.id,
                TokenFamily.revoked_at,
                TokenFamily.revoked_reason,
                TokenFamily.expires_at,
                jti_revoked,
            )
            # A session id names a session of this account only: one of another account,
            # in a token signed with the server's key, is no session of this one.
            .outerjoin(
                TokenFamily,
                (TokenFamily.id == claims.family_id) & (TokenFamily.user_id == User.id),
            )
            .where(User.id == claims.user_id)
        )
    ).one_or_none()
    if row is None:
        raise _refused(_INVALID, metrics.AuthFailureReason.INVALID_TOKEN)
    user, family_id, family_revoked_at, family_reason, family_expires_at, token_revoked = row
    if not user.is_active:
        raise _refused(_INVALID, metrics.AuthFailureReason.DISABLED_ACCOUNT)
    # A password change ends every session: tokens issued before it are refused. JWT times
    # have whole seconds, so compare at that resolution.
    if claims.issued_at.timestamp() < int(user.password_changed_at.timestamp()):
        raise _refused(_INVALID, metrics.AuthFailureReason.REVOKED_TOKEN)
    revocation: Revocation | None = None
    if family_id is None:
        # A session that was never recorded is not a session. Cached by token, not by
        # session id: that id may be another account's live session.
        revocation = Revocation(jti_key(claims.jti), "unknown_session", claims.expires_at)
    elif family_revoked_at is not None:
        revocation = Revocation(
            family_key(family_id), family_reason or "revoked", family_expires_at
        )
    elif token_revoked:
        revocation = Revocation(jti_key(claims.jti), "logout", claims.expires_at)
    if revocation is not None:
        if cache is not None:
            metrics.record_revocation_cache_miss()
            await _write_back(cache, revocation)
        raise _refused(_INVALID, metrics.AuthFailureReason.REVOKED_TOKEN)
    principal = Principal(user_id=user.id, username=user.username, is_admin=user.is_admin)
    return principal, claims
