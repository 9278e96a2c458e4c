"""The model provider an administrator set for the server, overriding ``CLAUDE_TUI_AGENT_*``.

The provider's API key is stored only as a Fernet token (AES-128-CBC with an HMAC-SHA256)
under a key derived with HKDF-SHA256 from the server's secret key and a purpose label, so a
copy of the database alone does not reveal it. It never leaves the server: readers learn only
whether a key is set and, for long keys, its last four characters.

A base URL may not carry credentials (``user:password@``): they would be stored and backed up
in clear and shown to every user. The key belongs in the API key, which is encrypted; URLs
stored with credentials by earlier versions are shown with them masked.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import SecretStr
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.agent.providers import ProviderNotConfiguredError
from claude_tui.agent.providers.check import ConnectionCheck
from claude_tui.agent.providers.check import check_connection as check_provider
from claude_tui.services import audit_trail
from claude_tui.services.errors import ConflictError, InvalidInputError, PermissionDeniedError
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage.database import Database
from claude_tui.storage.models import ProviderSettings

PROVIDERS = ("anthropic", "openai", "claude-code")
ROW_ID = 1
SETTINGS_WRITE = "settings:write"
MAX_KEY_LENGTH = 1000
MAX_MODEL_LENGTH = 200
MAX_URL_LENGTH = 1024
# Below this length the last four characters would give away too much of the key.
MIN_LENGTH_TO_SHOW_TAIL = 12
_PURPOSE = b"claude-tui provider api key v1"


class StoredKeyUnreadableError(ProviderNotConfiguredError):
    """The stored key was encrypted under another secret key."""


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_api_key(secret_key: str, api_key: str) -> str:
    return _fernet(secret_key).encrypt(api_key.encode("utf-8")).decode("ascii")


def decrypt_api_key(secret_key: str, token: str) -> str:
    try:
        return _fernet(secret_key).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise StoredKeyUnreadableError(
            "the provider API key stored on the server cannot be decrypted with this server's "
            "secret key (was CLAUDE_TUI_SECRET_KEY changed?): enter the key again in Settings"
        ) from exc


@dataclass(frozen=True)
class ProviderSettingsView:
    """What anyone signed in may see: never the key itself."""

    provider: str | None
    model: str | None
    base_url: str | None
    api_key_set: bool
    api_key_last4: str | None
    api_key_readable: bool
    updated_by: int | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ProviderSettingsChange:
    """The new provider, model and base URL (None: the server's default); the key if given."""

    provider: str | None
    model: str | None
    base_url: str | None
    api_key: str | None = None


def masked_url(url: str | None) -> str | None:
    """``url`` with any ``user:password@`` replaced by ``***@``."""
    if url is None:
        return None
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def _view(row: ProviderSettings | None, secret_key: str) -> ProviderSettingsView:
    if row is None:
        return ProviderSettingsView(None, None, None, False, None, True, None, None)
    last4: str | None = None
    readable = True
    if row.api_key_encrypted is not None:
        try:
            key = decrypt_api_key(secret_key, row.api_key_encrypted)
        except StoredKeyUnreadableError:
            readable = False
        else:
            last4 = key[-4:] if len(key) >= MIN_LENGTH_TO_SHOW_TAIL else None
    return ProviderSettingsView(
        provider=row.provider,
        model=row.model,
        base_url=masked_url(row.base_url),
        api_key_set=row.api_key_encrypted is not None,
        api_key_last4=last4,
        api_key_readable=readable,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise PermissionDeniedError("Only administrators may change the model provider.")
    if not principal.allows(SETTINGS_WRITE):
        raise PermissionDeniedError(f"This API key lacks the '{SETTINGS_WRITE}' scope.")


def _printable(name: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidInputError(f"{name} must not be empty.")
    if len(value) > limit:
        raise InvalidInputError(f"{name} must have at most {limit} characters.")
    if not value.isprintable():
        raise InvalidInputError(f"{name} contains control characters.")
    return value


def check_change(change: ProviderSettingsChange) -> ProviderSettingsChange:
    """The change with its values trimmed; 422 with one readable line when one is bad."""
    if change.provider is not None and change.provider not in PROVIDERS:
        raise InvalidInputError(
            f"Unknown provider {change.provider[:40]!r}: choose one of {', '.join(PROVIDERS)}."
        )
    model = None if change.model is None else _printable("model", change.model, MAX_MODEL_LENGTH)
    base_url = None
    if change.base_url is not None:
        base_url = _printable("base_url", change.base_url, MAX_URL_LENGTH)
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in base_url:
            raise InvalidInputError("base_url must be an http:// or https:// URL with a host.")
        if "@" in parts.netloc:
            raise InvalidInputError(
                "base_url must not carry credentials (user:password@): give the secret as "
                "api_key, which the server keeps encrypted."
            )
    api_key = None
    if change.api_key is not None:
        api_key = change.api_key.strip()
        if not api_key:
            raise InvalidInputError("api_key must not be empty (to remove the key, delete it).")
        if len(api_key) > MAX_KEY_LENGTH:
            raise InvalidInputError(f"api_key must have at most {MAX_KEY_LENGTH} characters.")
        # The key travels in an HTTP header: only visible ASCII can be sent there.
        if not all(33 <= ord(ch) <= 126 for ch in api_key):
            raise InvalidInputError("api_key may contain only visible ASCII characters.")
    return ProviderSettingsChange(change.provider, model, base_url, api_key)


async def read(session: AsyncSession, secret_key: str) -> ProviderSettingsView:
    """The stored provider settings (anyone signed in may read them)."""
    return _view(await session.get(ProviderSettings, ROW_ID), secret_key)


async def update(
    session: AsyncSession, principal: Principal, secret_key: str, change: ProviderSettingsChange
) -> ProviderSettingsView:
    """Replace provider, model and base URL; replace the key only when one is given."""
    _require_admin(principal)
    change = check_change(change)
    row = await session.get(ProviderSettings, ROW_ID, with_for_update=True)
    if row is None:
        row = ProviderSettings(id=ROW_ID)
        session.add(row)
    row.provider = change.provider
    row.model = change.model
    row.base_url = change.base_url
    row.updated_by = principal.user_id
    if change.api_key is not None:
        row.api_key_encrypted = encrypt_api_key(secret_key, change.api_key)
    audit_trail.record(
        session,
        "provider_settings.update",
        actor_id=principal.user_id,
        target_type="provider_settings",
        target_id=ROW_ID,
        detail={
            "provider": change.provider,
            "model": change.model,
            "base_url": change.base_url,
            "api_key": "replaced" if change.api_key is not None else "unchanged",
        },
    )
    await _commit(session)
    await session.refresh(row)
    return _view(row, secret_key)


async def clear_api_key(
    session: AsyncSession, principal: Principal, secret_key: str
) -> ProviderSettingsView:
    """Forget the stored key; the environment's key, if any, applies again."""
    _require_admin(principal)
    row = await session.get(ProviderSettings, ROW_ID, with_for_update=True)
    if row is not None and row.api_key_encrypted is not None:
        row.api_key_encrypted = None
        row.updated_by = principal.user_id
        audit_trail.record(
            session,
            "provider_settings.clear_api_key",
            actor_id=principal.user_id,
            target_type="provider_settings",
            target_id=ROW_ID,
        )
        await _commit(session)
        await session.refresh(row)
    return _view(row, secret_key)


async def _commit(session: AsyncSession) -> None:
    try:
        await session.commit()
    except IntegrityError as exc:  # another admin created the row at the same moment
        await session.rollback()
        raise ConflictError("The provider settings changed at the same moment; try again.") from exc


def apply(settings: Settings, row: ProviderSettings | None, secret_key: str) -> Settings:
    """``settings`` with the stored values in place of the environment's where they are set."""
    if row is None:
        return settings
    update: dict[str, object] = {}
    if row.provider is not None:
        update["agent_provider"] = row.provider
    if row.model is not None:
        update["agent_model"] = row.model
    if row.base_url is not None:
        update["agent_base_url"] = row.base_url
    if row.api_key_encrypted is not None:
        update["agent_api_key"] = SecretStr(decrypt_api_key(secret_key, row.api_key_encrypted))
    return settings.model_copy(update=update) if update else settings


async def effective_settings(session: AsyncSession, settings: Settings) -> Settings:
    """The settings tasks run with: the stored provider settings over the environment's.

    Raises ``StoredKeyUnreadableError`` (a ``ProviderNotConfiguredError``) when the stored
    key cannot be decrypted.
    """
    row = await session.get(ProviderSettings, ROW_ID)
    if row is None:
        return settings
    return apply(settings, row, settings.resolve_secret_key())


async def effective_settings_of(db: Database, settings: Settings) -> Settings:
    async with db.session() as session:
        return await effective_settings(session, settings)


async def check_connection(
    session: AsyncSession, principal: Principal, settings: Settings
) -> ConnectionCheck:
    """Try the provider tasks would use (admins: it spends the stored key on an outbound call)."""
    _require_admin(principal)
    try:
        effective = await effective_settings(session, settings)
    except ProviderNotConfiguredError as exc:
        return ConnectionCheck(False, None, None, str(exc))
    return await check_provider(effective)
