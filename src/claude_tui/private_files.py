"""Owner-only modes for what the platform keeps on disk.

The data directory holds the database (every user's tokens and tasks), the generated keys
and every workspace; other accounts of the machine must not read any of it. Modes are set
explicitly rather than through the process umask, which is shared by every thread and
would also change the files the agent writes into workspaces.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
#: The files SQLite keeps beside a database; it gives them the database file's mode.
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def restrict(path: Path, mode: int) -> str | None:
    """Set ``mode`` on ``path`` unless already set; why it could not be done, or None.

    Symbolic links are left alone: the mode would land on whatever they point to.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
        return None
    try:
        path.chmod(mode)
    except PermissionError:
        return f"{path} is mode {stat.S_IMODE(info.st_mode):o}, owned by uid {info.st_uid}"
    return None


def private_directory(path: Path) -> str | None:
    """Create ``path`` (with its parents) if missing and make it owner-only."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    return restrict(path, DIRECTORY_MODE)


def secure_data_dir(data_dir: Path) -> list[str]:
    """Make the data directory owner-only: itself, the files in it and its subdirectories.

    What lies deeper (a workspace's own files) keeps its modes; the directory above it
    already closes it to others. Returns what could not be restricted.
    """
    problems = [private_directory(data_dir)]
    with os.scandir(data_dir) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                problems.append(restrict(Path(entry.path), DIRECTORY_MODE))
            elif entry.is_file(follow_symlinks=False):
                problems.append(restrict(Path(entry.path), FILE_MODE))
    return [problem for problem in problems if problem is not None]


def prepare_sqlite_file(database: Path, *, create: bool) -> None:
    """Make a SQLite database and its companion files owner-only, creating it if asked.

    SQLite creates a new database with mode 0644 and copies the database's mode to the
    WAL and shared-memory files, so a database created here at 0600 keeps them all private.
    """
    if create:
        if not database.parent.exists():
            private_directory(database.parent)
        fd = os.open(database, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        os.close(fd)
    for suffix in SQLITE_SUFFIXES:
        restrict(database.with_name(database.name + suffix), FILE_MODE)
