"""Backups on SQLite and a real PostgreSQL: checksummed, encrypted, verified, restored."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text

from claude_tui.ops.backup import (
    BackupError,
    BackupStore,
    create_backup,
    inventory,
    restore_backup,
    verify_backup,
)
from claude_tui.ops.crypto import generate_key, load_key
from claude_tui.storage import migrate
from claude_tui.storage.database import create_engine


async def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _table_checksum(url: str, table: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))).all()
    finally:
        await engine.dispose()
    return hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


def _seed(url: str, users: int = 3) -> None:
    migrate.upgrade(url)
    statements = [
        "INSERT INTO users (username, email, full_name, password_hash, is_admin, is_active, "
        "failed_logins, password_changed_at, created_at, updated_at) VALUES "
        f"('user{i}', 'user{i}@example.com', 'User {i}', 'h', false, true, 0, "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        for i in range(users)
    ]
    asyncio.run(_execute(url, *statements))


@pytest.fixture
def store(tmp_path: Path) -> BackupStore:
    return BackupStore(tmp_path / "backups")


def test_backup_restores_to_the_same_data(database_url: str, store: BackupStore) -> None:
    _seed(database_url)
    before = asyncio.run(_table_checksum(database_url, "users"))
    manifest = create_backup(database_url, store, reason="pre-migration")
    assert manifest.row_counts["users"] == 3
    assert manifest.revision == migrate.head_revision()
    assert (store.directory / manifest.file).stat().st_mode & 0o777 == 0o600

    asyncio.run(_execute(database_url, "DELETE FROM users WHERE username = 'user0'"))
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(manifest, store, database_url)

    safety = restore_backup(manifest, store, database_url, force=True)
    assert safety is not None
    assert safety.row_counts["users"] == 2
    assert inventory(database_url)[1]["users"] == 3
    assert asyncio.run(_table_checksum(database_url, "users")) == before


def test_verify_restores_into_a_scratch_database(database_url: str, store: BackupStore) -> None:
    _seed(database_url, users=5)
    manifest = create_backup(database_url, store)
    result = verify_backup(manifest, store, database_url=database_url)
    assert result.ok, result.problems
    assert result.row_counts["users"] == 5
    # The scratch database is gone and the live one untouched.
    assert inventory(database_url)[1]["users"] == 5


def test_encrypted_backup_needs_the_right_key(database_url: str, store: BackupStore) -> None:
    _seed(database_url)
    key = load_key(generate_key())
    manifest = create_backup(database_url, store, fernet=key)
    archive = (store.directory / manifest.file).read_bytes()
    assert manifest.encrypted
    assert b"user0@example.com" not in archive
    assert verify_backup(manifest, store, fernet=key, database_url=database_url).ok
    with pytest.raises(BackupError, match="encrypted"):
        verify_backup(manifest, store, database_url=database_url)
    with pytest.raises(BackupError, match="cannot be decrypted"):
        verify_backup(manifest, store, fernet=load_key(generate_key()), database_url=database_url)


def test_corrupted_archive_is_detected(sqlite_url: str, store: BackupStore) -> None:
    _seed(sqlite_url)
    manifest = create_backup(sqlite_url, store)
    archive = store.directory / manifest.file
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="corrupt"):
        verify_backup(manifest, store)


def test_restore_into_an_empty_database_needs_no_force(
    sqlite_url: str, store: BackupStore, tmp_path: Path
) -> None:
    _seed(sqlite_url)
    manifest = create_backup(sqlite_url, store)
    fresh = f"sqlite+aiosqlite:///{tmp_path / 'fresh' / 'new.db'}"
    assert restore_backup(manifest, store, fresh) is None
    assert inventory(fresh)[1]["users"] == 3


def test_retention_keeps_the_newest(sqlite_url: str, store: BackupStore) -> None:
    _seed(sqlite_url)
    ids = [create_backup(sqlite_url, store).id for _ in range(4)]
    removed = store.prune(2)
    assert removed == ids[:2]
    assert [m.id for m in store.manifests()] == ids[2:]
    with pytest.raises(BackupError, match="no backup"):
        store.get(ids[0])


@pytest.mark.postgres
def test_verify_on_postgresql_without_createdb_says_so(
    postgres_url: str, store: BackupStore
) -> None:
    _seed(postgres_url)
    manifest = create_backup(postgres_url, store)
    role = f"plain_{secrets.token_hex(4)}"
    asyncio.run(_execute(postgres_url, f"CREATE ROLE {role} LOGIN NOCREATEDB"))
    limited = postgres_url.replace("://postgres@", f"://{role}@", 1)
    with pytest.raises(BackupError) as caught:
        verify_backup(manifest, store, database_url=limited)
    message = str(caught.value)
    assert "CREATEDB" in message
    assert "\n" not in message
