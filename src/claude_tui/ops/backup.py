"""Backups of the platform database: create, list, verify and restore.

SQLite is copied with its online backup API and gzip-compressed; PostgreSQL is dumped with
``pg_dump`` in the custom format and restored with ``pg_restore``. Every archive has a JSON
manifest beside it with its SHA-256, the schema revision and the row count of every table,
which ``verify`` checks by restoring into a scratch database.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from claude_tui import __version__
from claude_tui.ops.crypto import DecryptionError, decrypt_file, encrypt_file
from claude_tui.settings import redact_url
from claude_tui.storage.database import create_engine, sqlite_path

MANIFEST_SUFFIX = ".manifest.json"
# What ``_new_id`` makes, and what an operator may type: a plain name, never a path.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
Backend = Literal["sqlite", "postgresql"]


class BackupError(Exception):
    """A backup operation could not be completed; the message says why."""


@dataclass
class BackupManifest:
    id: str
    created_at: str
    backend: Backend
    database: str
    file: str
    sha256: str
    size_bytes: int
    encrypted: bool
    revision: str | None
    row_counts: dict[str, int] = field(default_factory=dict)
    app_version: str = __version__
    reason: str = "manual"

    @classmethod
    def load(cls, path: Path) -> BackupManifest:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise BackupError(f"unreadable manifest {path.name}: {exc}") from exc


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    problems: list[str]
    row_counts: dict[str, int]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def backend_of(database_url: str) -> Backend:
    name = make_url(database_url).get_backend_name()
    if name == "sqlite":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")


class BackupStore:
    """A directory of archives with their manifests."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def manifests(self) -> list[BackupManifest]:
        if not self.directory.is_dir():
            return []
        found = [BackupManifest.load(p) for p in self.directory.glob(f"*{MANIFEST_SUFFIX}")]
        return sorted(found, key=lambda m: (m.created_at, m.id))

    def get(self, backup_id: str) -> BackupManifest:
        if not _ID_PATTERN.fullmatch(backup_id) or ".." in backup_id:
            raise BackupError(
                f"invalid backup id {backup_id[:100]!r}: a backup id is a name like "
                "20260101T000000Z-1a2b3c, without '/' or '..'"
            )
        path = self.directory / f"{backup_id}{MANIFEST_SUFFIX}"
        if not path.exists():
            known = ", ".join(m.id for m in self.manifests()[-5:]) or "none"
            raise BackupError(f"no backup {backup_id!r} in {self.directory} (latest: {known})")
        return BackupManifest.load(path)

    def archive(self, manifest: BackupManifest) -> Path:
        """The archive a manifest names, which must be a file of this directory."""
        name = manifest.file
        # A manifest is only as trustworthy as the directory it was copied from: a name
        # with a separator or '..' would let verify read, and retention delete, any file.
        if (
            not isinstance(name, str)
            or not name
            or name in (".", "..")
            or any(ch in name for ch in "/\\\x00")
        ):
            raise BackupError(
                f"the manifest of backup {manifest.id} names the archive {str(name)[:100]!r}, "
                f"outside the backup directory {self.directory}"
            )
        return self.directory / name

    def save(self, manifest: BackupManifest) -> None:
        path = self.directory / f"{manifest.id}{MANIFEST_SUFFIX}"
        path.write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest ``keep`` backups; return the ids removed."""
        if keep < 1:
            raise BackupError("retention must keep at least one backup")
        removed = []
        for manifest in self.manifests()[:-keep]:
            self.archive(manifest).unlink(missing_ok=True)
            (self.directory / f"{manifest.id}{MANIFEST_SUFFIX}").unlink(missing_ok=True)
            removed.append(manifest.id)
        return removed


async def _inventory(database_url: str) -> tuple[str | None, dict[str, int]]:
    """The schema revision and the row count of every table."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: sorted(inspect(c).get_table_names()))
            counts: dict[str, int] = {}
            for table in tables:
                result = await conn.execute(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608
                counts[table] = int(result.scalar_one())
            revision = None
            if "alembic_version" in tables:
                revision = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar_one_or_none()
    except (SQLAlchemyError, OSError) as exc:
        raise BackupError(f"cannot read {redact_url(database_url)}: {_first_line(exc)}") from exc
    finally:
        await engine.dispose()
    return revision, counts


def inventory(database_url: str) -> tuple[str | None, dict[str, int]]:
    return asyncio.run(_inventory(database_url))


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


# -- PostgreSQL tools ---------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
        if not candidates:
            raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
        found = str(candidates[0])
    return found


def _libpq(url: URL, database: str | None = None) -> tuple[list[str], dict[str, str]]:
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        args += ["-U", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args += ["-d", database or url.database or "postgres"]
    return args, env


def _run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tool paths, arguments are not shell-parsed
        args, env=env, capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise BackupError(f"{what} failed: {message[-1] if message else result.returncode}")


def _pg_dump(url: URL, target: Path) -> None:
    conn, env = _libpq(url)
    _run_tool(
        [
            _pg_tool("pg_dump"),
            *conn,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "-f",
            str(target),
        ],
        env,
        "pg_dump",
    )


def _pg_restore(url: URL, archive: Path, database: str) -> None:
    conn, env = _libpq(url, database)
    _run_tool(
        [
            _pg_tool("pg_restore"),
            *conn,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(archive),
        ],
        env,
        "pg_restore",
    )


def _pg_admin(url: URL, statement: str) -> None:
    conn, env = _libpq(url, "postgres")
    _run_tool(
        [_pg_tool("psql"), *conn, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
        env,
        "psql",
    )


# -- archives ---------------------------------------------------------------------------


def _new_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@contextmanager
def _scratch_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="ctui-backup-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def create_backup(
    database_url: str,
    store: BackupStore,
    *,
    fernet: Fernet | None = None,
    reason: str = "manual",
) -> BackupManifest:
    """Take a consistent backup of the database into the store."""
    backend = backend_of(database_url)
    url = make_url(database_url)
    revision, counts = inventory(database_url)
    store.directory.mkdir(parents=True, exist_ok=True)
    backup_id = _new_id()
    with _scratch_dir() as scratch:
        if backend == "sqlite":
            source = sqlite_path(url)
            if source is None or not source.exists():
                raise BackupError(f"no SQLite database file at {url.database}")
            raw = scratch / "db.sqlite"
            with sqlite3.connect(source) as src, sqlite3.connect(raw) as dst:
                src.backup(dst)
            plain = scratch / "db.sqlite.gz"
            with raw.open("rb") as fin, gzip.open(plain, "wb", compresslevel=6) as fout:
                shutil.copyfileobj(fin, fout, 1024 * 1024)
            extension = ".sqlite.gz"
        else:
            plain = scratch / "db.dump"
            _pg_dump(url, plain)
            extension = ".pgdump"
        name = f"{backup_id}{extension}{'.enc' if fernet else ''}"
        target = store.directory / name
        if fernet is not None:
            encrypt_file(plain, target, fernet)
        else:
            shutil.move(plain, target)
    target.chmod(0o600)
    manifest = BackupManifest(
        id=backup_id,
        created_at=datetime.now(UTC).isoformat(),
        backend=backend,
        database=redact_url(database_url),
        file=name,
        sha256=_sha256(target),
        size_bytes=target.stat().st_size,
        encrypted=fernet is not None,
        revision=revision,
        row_counts=counts,
        reason=reason,
    )
    store.save(manifest)
    return manifest


def _plain_archive(
    manifest: BackupManifest, store: BackupStore, scratch: Path, fernet: Fernet | None
) -> Path:
    """Check the archive's checksum and return it decrypted (still compressed)."""
    archive = store.archive(manifest)
    if not archive.exists():
        raise BackupError(f"archive {archive.name} of backup {manifest.id} is missing")
    actual = _sha256(archive)
    if actual != manifest.sha256:
        raise BackupError(
            f"archive {archive.name} is corrupt: SHA-256 {actual[:12]}…, "
            f"manifest says {manifest.sha256[:12]}…"
        )
    if not manifest.encrypted:
        return archive
    if fernet is None:
        raise BackupError(
            f"backup {manifest.id} is encrypted: give the key (CLAUDE_TUI_BACKUP_KEY)"
        )
    plain = scratch / "plain"
    try:
        decrypt_file(archive, plain, fernet)
    except DecryptionError as exc:
        raise BackupError(str(exc)) from exc
    return plain


def _restore_sqlite(archive: Path, target_file: Path, scratch: Path) -> None:
    raw = scratch / "restore.sqlite"
    # The checksum only says the archive is the one the manifest describes; a manifest
    # rewritten along with its archive still has to hold a database.
    try:
        with gzip.open(archive, "rb") as fin, raw.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            f"archive {archive.name} is not a readable gzip file: {_first_line(exc)}"
        ) from exc
    try:
        with sqlite3.connect(raw) as check:
            status = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"archive {archive.name} is not a readable SQLite database: {_first_line(exc)}"
        ) from exc
    if status != "ok":
        raise BackupError(f"the SQLite archive fails its integrity check: {status}")
    target_file.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(raw) as src, sqlite3.connect(target_file) as dst:
        src.backup(dst)


def verify_backup(
    manifest: BackupManifest,
    store: BackupStore,
    *,
    fernet: Fernet | None = None,
    database_url: str | None = None,
) -> VerifyResult:
    """Restore into a scratch database and compare its row counts with the manifest.

    PostgreSQL backups need ``database_url`` of a server where its role may create a scratch
    database (``CREATEDB``); it is dropped afterwards.
    """
    with _scratch_dir() as scratch:
        archive = _plain_archive(manifest, store, scratch, fernet)
        if manifest.backend == "sqlite":
            scratch_file = scratch / "verify.db"
            _restore_sqlite(archive, scratch_file, scratch)
            _, counts = inventory(f"sqlite+aiosqlite:///{scratch_file}")
        else:
            if database_url is None:
                raise BackupError("verifying a PostgreSQL backup needs a server URL")
            url = make_url(database_url)
            scratch_db = f"ctui_verify_{secrets.token_hex(4)}"
            try:
                _pg_admin(url, f'CREATE DATABASE "{scratch_db}"')
            except BackupError as exc:
                raise BackupError(
                    f"verifying restores into a scratch database, which the role of "
                    f"CLAUDE_TUI_DATABASE_URL may not create (it needs CREATEDB): {exc}"
                ) from exc
            try:
                _pg_restore(url, archive, scratch_db)
                _, counts = inventory(url.set(database=scratch_db).render_as_string(False))
            finally:
                _pg_admin(url, f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)')
    problems = [
        f"{table}: {manifest.row_counts.get(table)} rows in the manifest, {counts.get(table)} "
        "restored"
        for table in sorted(set(manifest.row_counts) | set(counts))
        if manifest.row_counts.get(table) != counts.get(table)
    ]
    return VerifyResult(not problems, problems, counts)


def restore_backup(
    manifest: BackupManifest,
    store: BackupStore,
    database_url: str,
    *,
    fernet: Fernet | None = None,
    force: bool = False,
) -> BackupManifest | None:
    """Restore a backup over the database; returns the safety backup taken first, if any.

    A database that holds rows is only overwritten with ``force``, and then only after a
    backup of it has been taken.
    """
    backend = backend_of(database_url)
    if backend != manifest.backend:
        raise BackupError(
            f"backup {manifest.id} is of a {manifest.backend} database, the target is {backend}"
        )
    url = make_url(database_url)
    safety: BackupManifest | None = None
    holds_rows = _holds_rows(database_url)
    if holds_rows and not force:
        raise BackupError(
            "the target database is not empty; restoring would overwrite it "
            "(use --force: a backup of it is taken first)"
        )
    if holds_rows:
        safety = create_backup(database_url, store, fernet=fernet, reason="pre-restore")
    with _scratch_dir() as scratch:
        archive = _plain_archive(manifest, store, scratch, fernet)
        if backend == "sqlite":
            target = sqlite_path(url)
            if target is None:
                raise BackupError("restoring needs a file-backed SQLite database")
            _restore_sqlite(archive, target, scratch)
        else:
            _pg_restore(url, archive, url.database or "postgres")
    return safety


def _holds_rows(database_url: str) -> bool:
    url = make_url(database_url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return False
    _, counts = inventory(database_url)
    return any(n > 0 for table, n in counts.items() if table != "alembic_version")
