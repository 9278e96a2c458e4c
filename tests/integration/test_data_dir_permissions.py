"""The data directory holds the database, its WAL and the generated keys: nobody but the
server's user may read it, on a fresh install and after an upgrade from looser modes."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from claude_tui.api.app import create_app
from claude_tui.services import identity
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage import migrate


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most installs run with, so that SQLite alone would create 0644 files."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    modes = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        modes[path.relative_to(root).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return modes


def _assert_private(root: Path, expected_files: set[str]) -> None:
    modes = _modes(root)
    assert expected_files <= set(modes), sorted(modes)
    loose = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    }
    assert loose == {}


async def _start_and_write(settings: Settings) -> set[str]:
    """Run the server, make it write, and return the data files seen while it runs."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        operator = Principal(user_id=0, username="operator", is_admin=True, via="local")
        async with app.state.db.session() as session:
            await identity.create_user(
                session,
                operator,
                username="perm",
                email="perm@example.test",
                password="Pw-correct-horse-battery-9",
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            ready = await client.get("/ready")
            assert ready.status_code == 200, ready.text
        running = set(_modes(settings.data_dir))
        _assert_private(settings.data_dir, {"claude-tui.db", "claude-tui.db-wal"})
    return running


async def test_a_fresh_data_directory_is_owner_only(
    tmp_path: Path, make_settings: Callable[..., Settings], usual_umask: None
) -> None:
    settings = make_settings(data_dir=tmp_path / "fresh" / "data", secret_key=None)
    assert not settings.data_dir.exists()
    migrate.upgrade(settings.database_url)
    _assert_private(settings.data_dir, {"claude-tui.db"})
    running = await _start_and_write(settings)
    assert {"claude-tui.db", "claude-tui.db-wal", "claude-tui.db-shm", "secret_key"} <= running
    _assert_private(settings.data_dir, {"claude-tui.db", "secret_key"})


async def test_an_existing_loose_data_directory_is_tightened_at_start(
    tmp_path: Path, make_settings: Callable[..., Settings], usual_umask: None
) -> None:
    settings = make_settings(data_dir=tmp_path / "old")
    migrate.upgrade(settings.database_url)
    # What earlier versions left behind: readable by everyone.
    settings.data_dir.chmod(0o755)
    for name in ("claude-tui.db", "claude-tui.db-wal", "claude-tui.db-shm"):
        path = settings.data_dir / name
        path.touch()
        path.chmod(0o644)
    (settings.data_dir / "workspaces").mkdir(mode=0o755)
    (settings.data_dir / "workspaces").chmod(0o755)
    await _start_and_write(settings)
    _assert_private(settings.data_dir, {"claude-tui.db", "workspaces"})
