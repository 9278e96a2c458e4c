"""API keys for automation: shown once, stored as a hash, scoped, expiring, revocable.

A key reads ``ctui_<lookup>_<secret>``: the ``ctui_`` prefix lets secret scanners recognise a
leaked key, the lookup part finds the row without scanning hashes, and only the SHA-256 of
the whole key is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.observability import metrics
from claude_tui.services import audit_trail
from claude_tui.services.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from claude_tui.services.identity import check_text_fields
from claude_tui.services.principal import Principal
from claude_tui.storage.models import ApiKey, User
from claude_tui.storage.types import utcnow

KEY_PREFIX = "ctui_"
LOOKUP_LENGTH = 12
SECRET_LENGTH = 40
_ALPHABET = string.ascii_letters + string.digits
MAX_KEYS_PER_USER = 50
MAX_LIFETIME = timedelta(days=366 * 2)
# Writing last-used on every request would turn reads into writes; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(seconds=60)

SCOPES: dict[str, str] = {
    "*": "everything the owner may do",
    "users:read": "read your account (and, for admins, other accounts)",
    "users:write": "change your account (and, for admins, other accounts)",
    "api_keys:read": "list your API keys",
    "api_keys:write": "create and revoke your API keys",
    "audit:read": "query the audit log (admins)",
    "projects:read": "read projects you are a member of",
    "projects:write": "create and change projects",
    "tasks:read": "read tasks and their events",
    "tasks:write": "create, change and run tasks and workflows",
    "audits:run": "run security audits of projects (tasks:write allows it too)",
    "settings:write": "change the server's model provider and its API key (admins)",
}
_INVALID = "The API key is invalid, expired or revoked."


@dataclass(frozen=True)
class ApiKeyView:
    """An API key as listed: never the secret."""

    id: int
    user_id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyView:
        return cls(
            id=key.id,
            user_id=key.user_id,
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=key.created_at,
            expires_at=key.expires_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


@dataclass(frozen=True)
class CreatedApiKey:
    """A new key: ``secret`` is the full key, shown this once and never again."""

    key: ApiKeyView
    secret: str


def hash_key(raw_key: str) -> str:
    # Keys carry 238 random bits: a fast hash suffices and keeps each request cheap.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def looks_like_api_key(value: str) -> bool:
    return value.startswith(KEY_PREFIX)


def _require(principal: Principal, scope: str) -> None:
    if not principal.allows(scope):
        raise PermissionDeniedError(f"This API key lacks the '{scope}' scope.")


async def create_key(
    session: AsyncSession,
    principal: Principal,
    *,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> CreatedApiKey:
    """Create a key for the caller. A key may not carry scopes its creator lacks."""
    _require(principal, "api_keys:write")
    check_text_fields(name=name)
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInputError("A key name has 1 to 100 characters.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise InvalidInputError(
            f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(SCOPES)}."
        )
    if not scopes:
        raise InvalidInputError("Give the key at least one scope.")
    wider = [scope for scope in scopes if not principal.allows(scope)]
    if wider:
        raise PermissionDeniedError(
            f"A key cannot carry scopes its creator lacks: {', '.join(sorted(wider))}."
        )
    now = utcnow()
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise InvalidInputError("expires_at needs a time zone, e.g. 2030-01-01T00:00:00Z.")
        if expires_at <= now:
            raise InvalidInputError("expires_at must be in the future.")
        if expires_at - now > MAX_LIFETIME:
            raise InvalidInputError("An API key may live at most two years.")
    active = await session.execute(
        select(func.count())
        .select_from(ApiKey)
        .where(ApiKey.user_id == principal.user_id, ApiKey.revoked_at.is_(None))
    )
    if int(active.scalar_one()) >= MAX_KEYS_PER_USER:
        raise InvalidInputError(
            f"You have {MAX_KEYS_PER_USER} active keys; revoke one before creating another."
        )
    lookup = _random(LOOKUP_LENGTH)
    raw = f"{KEY_PREFIX}{lookup}_{_random(SECRET_LENGTH)}"
    key = ApiKey(
        user_id=principal.user_id,
        name=name,
        prefix=f"{KEY_PREFIX}{lookup}",
        key_hash=hash_key(raw),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    session.add(key)
    await session.flush()
    audit_trail.record(
        session,
        "api_key.created",
        actor_id=principal.user_id,
        target_type="api_key",
        target_id=key.id,
        detail={"name": name, "prefix": key.prefix, "scopes": key.scopes},
    )
    await session.commit()
    return CreatedApiKey(ApiKeyView.of(key), raw)


async def list_keys(session: AsyncSession, principal: Principal) -> list[ApiKeyView]:
    """The caller's own keys, newest first."""
    _require(principal, "api_keys:read")
    result = await session.execute(
        select(ApiKey).where(ApiKey.user_id == principal.user_id).order_by(ApiKey.id.desc())
    )
    return [ApiKeyView.of(key) for key in result.scalars()]


async def revoke_key(session: AsyncSession, principal: Principal, key_id: int) -> ApiKeyView:
    """Revoke one of your keys (administrators: anyone's). Revoking twice is harmless."""
    _require(principal, "api_keys:write")
    key = await session.get(ApiKey, key_id)
    if key is None or (key.user_id != principal.user_id and not principal.is_admin):
        raise NotFoundError(f"No API key with id {key_id}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit_trail.record(
            session,
            "api_key.revoked",
            actor_id=principal.user_id,
            target_type="api_key",
            target_id=key.id,
            detail={"prefix": key.prefix, "owner_id": key.user_id},
        )
        await session.commit()
    return ApiKeyView.of(key)


def _refused() -> AuthenticationError:
    """The error refusing an API key, counted as an authentication failure."""
    metrics.record_auth_failure(
        metrics.AuthMethod.API_KEY, metrics.AuthFailureReason.INVALID_API_KEY
    )
    return AuthenticationError(_INVALID)


async def principal_for_key(session: AsyncSession, raw_key: str) -> Principal:
    """The principal an API key stands for; records when it was last used."""
    rest = raw_key[len(KEY_PREFIX) :]
    lookup, sep, _secret = rest.partition("_")
    if not sep or len(lookup) != LOOKUP_LENGTH:
        raise _refused()
    result = await session.execute(
        select(ApiKey, User)
        .join(User, ApiKey.user_id == User.id)
        .where(ApiKey.prefix == f"{KEY_PREFIX}{lookup}")
    )
    row = result.one_or_none()
    if row is None:
        raise _refused()
    key, user = row
    now = utcnow()
    if (
        not hmac.compare_digest(key.key_hash, hash_key(raw_key))
        or key.revoked_at is not None
        or (key.expires_at is not None and key.expires_at <= now)
        or not user.is_active
    ):
        raise _refused()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = now
        await session.commit()
    return Principal(
        user_id=user.id,
        username=user.username,
        is_admin=user.is_admin,
        via="api_key",
        scopes=frozenset(key.scopes),
    )
