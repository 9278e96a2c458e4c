"""The local server: started by the first UI launch, reused by the next, gone when idle or stopped.

Every server here is a real ``claude-tui local-server run`` process on a temp data directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from claude_tui import __version__
from claude_tui.cli.local_server import (
    STATE_FILE,
    LocalServerConnection,
    run_dir,
    running_server,
    stop_server,
)
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from tui_pilot import wait_until


@pytest.fixture
def local_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings the spawned server reads from its environment, as the UI's own are."""
    for name in list(os.environ):
        if name.startswith("CLAUDE_TUI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLAUDE_TUI_SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("CLAUDE_TUI_LOG_FORMAT", "json")
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    yield settings
    stop_server(settings)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claude_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


async def _launch_and_list(settings: Settings) -> tuple[LocalServerConnection, list[str]]:
    """One UI launch on the local server: the project names its dashboard lists."""
    connection = LocalServerConnection(settings)
    connection.start()
    app = ClaudeTuiApp(connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.client is not None)
        assert app.client is not None
        if not await app.client.list_projects():
            await app.client.create_project({"name": "shop", "workspace_path": "shop"})
            app.screen.action_refresh()  # type: ignore[attr-defined]
        table = app.screen.query_one("#projects", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
    return connection, names


async def test_a_second_launch_reuses_the_server_the_first_one_left_running(
    local_settings: Settings,
) -> None:
    first, names = await _launch_and_list(local_settings)
    assert first.child is not None  # nothing ran: this launch started the server
    assert names == ["shop"]
    running = running_server(local_settings)
    assert running is not None, "the server exited with the UI"
    assert running.pid == first.child.pid

    second, names = await _launch_and_list(local_settings)
    assert second.child is None  # found, not started
    assert names == ["shop"]
    again = running_server(local_settings)
    assert again is not None
    assert again.pid == running.pid

    status = _cli("local-server", "status")
    assert status.returncode == 0
    assert f"pid {running.pid}" in status.stdout
    assert __version__ in status.stdout


async def test_a_server_of_another_version_is_replaced_not_used(local_settings: Settings) -> None:
    first, _ = await _launch_and_list(local_settings)
    old = running_server(local_settings)
    assert old is not None
    # What an upgrade leaves behind: a running server that reports an older version.
    state_file = run_dir(local_settings) / STATE_FILE
    state = json.loads(state_file.read_text())
    state_file.write_text(json.dumps({**state, "version": "0.0.1"}))

    _second, names = await _launch_and_list(local_settings)
    assert names == ["shop"]
    new = running_server(local_settings)
    assert new is not None
    assert new.pid != old.pid
    assert new.version == __version__
    assert first.child is not None
    assert first.child.pid == old.pid
    assert first.child.wait(timeout=30) == 0  # the old one was told to exit, and did


def test_stop_ends_the_server_and_says_so(local_settings: Settings) -> None:
    asyncio.run(_launch_and_list(local_settings))
    running = running_server(local_settings)
    assert running is not None

    stopped = _cli("local-server", "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.strip() == f"stopped pid {running.pid}"
    assert running_server(local_settings) is None
    assert not (run_dir(local_settings) / STATE_FILE).exists()

    status = _cli("local-server", "status")
    assert status.returncode == 1
    assert status.stderr.strip() == "claude-tui: no local server is running"
    assert "Traceback" not in status.stderr


def test_the_server_exits_by_itself_once_idle(
    local_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_TUI_LOCAL_SERVER_IDLE_TIMEOUT", "2")
    connection, _ = asyncio.run(_launch_and_list(local_settings))
    assert connection.child is not None
    assert connection.child.wait(timeout=60) == 0
    assert running_server(local_settings) is None


def test_two_launches_at_once_share_one_server(local_settings: Settings) -> None:
    async def both() -> list[Any]:
        connections = [LocalServerConnection(local_settings) for _ in range(2)]
        for connection in connections:
            connection.start()
        clients = await asyncio.gather(*(c.open() for c in connections))
        urls = [client.base_url for client in clients]
        for client, connection in zip(clients, connections, strict=True):
            await client.aclose()
            await connection.close()
        return urls

    started = time.monotonic()
    urls = asyncio.run(both())
    assert urls[0] == urls[1]
    assert time.monotonic() - started < 120
    assert running_server(local_settings) is not None


def test_an_open_ui_keeps_the_idle_server_alive(
    local_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUDE_TUI_LOCAL_SERVER_IDLE_TIMEOUT", "2")
    monkeypatch.setattr("claude_tui.cli.local_server.HEARTBEAT_SECONDS", 0.5)

    async def open_for_a_while() -> LocalServerConnection:
        connection = LocalServerConnection(local_settings)
        connection.start()
        client = await connection.open()
        await asyncio.sleep(6)  # three idle timeouts, with nothing but the heartbeat
        assert running_server(local_settings) is not None
        await client.aclose()
        await connection.close()
        return connection

    connection = asyncio.run(open_for_a_while())
    assert connection.child is not None
    assert connection.child.wait(timeout=60) == 0
    assert running_server(local_settings) is None


async def test_the_cli_works_through_the_server_an_open_ui_left_running(
    local_settings: Settings, tmp_path: Path
) -> None:
    await _launch_and_list(local_settings)
    running = running_server(local_settings)
    assert running is not None
    cli_log = tmp_path / "cli.log"
    listed = _cli("project", "list", env={"CLAUDE_TUI_LOG_FILE": str(cli_log)})
    assert listed.returncode == 0, listed.stderr
    assert "shop" in listed.stdout
    # No server of its own was started: nothing of a start-up was logged by the command.
    assert not cli_log.exists() or '"startup"' not in cli_log.read_text()
    stopped = stop_server(local_settings)
    assert stopped is not None
    assert stopped.pid == running.pid
    # With no local server, the command starts its own in-process, and says so in its log.
    alone = _cli("project", "list", env={"CLAUDE_TUI_LOG_FILE": str(cli_log)})
    assert alone.returncode == 0, alone.stderr
    assert "shop" in alone.stdout
    assert '"startup"' in cli_log.read_text()
