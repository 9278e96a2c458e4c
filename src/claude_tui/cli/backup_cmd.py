"""``backup create|list|verify|restore|keygen``: database backups with checksums."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from claude_tui.cli.common import CliError, load_settings, one_line_errors

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from claude_tui.ops.backup import BackupStore

app = typer.Typer(help="Database backups: create, list, verify, restore.", no_args_is_help=True)

DirOption = Annotated[
    Path | None, typer.Option("--dir", help="Backup directory (default: DATA_DIR/backups).")
]
KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="File holding the encryption key (or CLAUDE_TUI_BACKUP_KEY)."),
]


def _store(directory: Path | None) -> BackupStore:
    from claude_tui.ops.backup import BackupStore

    return BackupStore(directory or load_settings().effective_backup_dir)


def _fernet(key_file: Path | None) -> Fernet | None:
    from claude_tui.ops.crypto import DecryptionError, load_key

    if key_file is not None:
        try:
            value = key_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot read key file {key_file}: {exc.strerror}") from exc
    elif (secret := load_settings().backup_key) is not None:
        value = secret.get_secret_value()
    else:
        return None
    try:
        return load_key(value)
    except DecryptionError as exc:
        raise CliError(str(exc)) from exc


def _guard(fn: typer.models.CommandFunctionType) -> typer.models.CommandFunctionType:
    """Turn backup errors into one readable line."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        from claude_tui.ops.backup import BackupError

        try:
            return fn(*args, **kwargs)
        except BackupError as exc:
            raise CliError(str(exc), exit_code=1) from exc

    return wrapper  # type: ignore[return-value]


@app.command()
@one_line_errors
@_guard
def create(
    directory: DirOption = None,
    key_file: KeyFileOption = None,
    keep: Annotated[
        int | None, typer.Option(help="Backups to keep; older ones are deleted.", min=1)
    ] = None,
    reason: Annotated[str, typer.Option(help="Why this backup was taken.")] = "manual",
) -> None:
    """Back up the configured database (encrypted when a key is given)."""
    from claude_tui.ops.backup import create_backup

    settings = load_settings()
    store = _store(directory)
    manifest = create_backup(settings.database_url, store, fernet=_fernet(key_file), reason=reason)
    removed = store.prune(keep or settings.backup_retention)
    rows = sum(manifest.row_counts.values())
    typer.echo(
        f"backup {manifest.id}: {manifest.size_bytes} bytes, {rows} rows in "
        f"{len(manifest.row_counts)} tables, sha256 {manifest.sha256[:16]}"
        f"{', encrypted' if manifest.encrypted else ''}"
    )
    if removed:
        typer.echo(f"retention: removed {len(removed)} older backup(s)")


@app.command("list")
@one_line_errors
@_guard
def list_backups(directory: DirOption = None) -> None:
    """List backups, oldest first."""
    manifests = _store(directory).manifests()
    if not manifests:
        typer.echo("no backups")
        return
    for m in manifests:
        typer.echo(
            f"{m.id}  {m.backend:<10}  {m.size_bytes:>12} B  rev {m.revision or '-':<6}  "
            f"{'enc' if m.encrypted else '   '}  {m.reason}"
        )


@app.command()
@one_line_errors
@_guard
def verify(
    backup_id: Annotated[str, typer.Argument(help="Backup id (see 'backup list').")],
    directory: DirOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Restore into a scratch database and compare row counts with the manifest.

    On PostgreSQL the role of CLAUDE_TUI_DATABASE_URL needs CREATEDB for the scratch database.
    """
    from claude_tui.ops.backup import verify_backup

    store = _store(directory)
    result = verify_backup(
        store.get(backup_id),
        store,
        fernet=_fernet(key_file),
        database_url=load_settings().database_url,
    )
    if not result.ok:
        raise CliError(f"backup {backup_id} does not verify: {'; '.join(result.problems)}", 1)
    typer.echo(f"backup {backup_id} verified: {sum(result.row_counts.values())} rows restored")


@app.command()
@one_line_errors
@_guard
def restore(
    backup_id: Annotated[str, typer.Argument(help="Backup id (see 'backup list').")],
    directory: DirOption = None,
    key_file: KeyFileOption = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite a database that holds data (after backing it up).")
    ] = False,
) -> None:
    """Restore a backup into the configured database."""
    from claude_tui.ops.backup import restore_backup

    store = _store(directory)
    safety = restore_backup(
        store.get(backup_id),
        store,
        load_settings().database_url,
        fernet=_fernet(key_file),
        force=force,
    )
    if safety is not None:
        typer.echo(f"the previous contents were saved as backup {safety.id}")
    typer.echo(f"restored backup {backup_id}")


@app.command()
def keygen() -> None:
    """Print a new encryption key for CLAUDE_TUI_BACKUP_KEY."""
    from claude_tui.ops.crypto import generate_key

    typer.echo(generate_key())
