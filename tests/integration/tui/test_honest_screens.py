"""What the screens say is true: scores, connection state, what a validation ran, errors."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.observability.logging import configure_logging
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.dashboard import COLUMNS, DashboardScreen
from claude_tui.tui.screens.project import ProjectScreen
from tui_pilot import wait_until

App = tuple[ClaudeTuiApp, Pilot[Any]]


def rendered(app: ClaudeTuiApp, selector: str) -> str:
    found = app.screen.query(selector)
    return str(found.first().render()) if found else ""


def workspace_of(app: ClaudeTuiApp, name: str) -> Path:
    root: Path = app.connection.settings.effective_workspace_root  # type: ignore[attr-defined]
    return root / name


async def project_with_files(app: ClaudeTuiApp, files: dict[str, str]) -> dict[str, Any]:
    assert app.client is not None
    project = await app.client.create_project({"name": "shop", "workspace_path": "shop"})
    workspace = workspace_of(app, "shop")
    workspace.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (workspace / name).write_text(text)
    return project


# Four modules, one of which does not parse: three quarters of the files are clean.
THREE_OF_FOUR_CLEAN = {
    "a.py": "def a() -> int:\n    return 1\n",
    "b.py": "def b() -> int:\n    return 2\n",
    "c.py": "def c() -> int:\n    return 3\n",
    "broken.py": "def broken(:\n    return 4\n",
}


async def open_project(app: ClaudeTuiApp, pilot: Pilot[Any]) -> ProjectScreen:
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    screen = app.screen
    assert isinstance(screen, ProjectScreen)
    return screen


async def test_a_failing_validation_score_is_a_percentage(tui: App) -> None:
    app, pilot = tui
    project = await project_with_files(app, THREE_OF_FOUR_CLEAN)
    assert app.client is not None
    report = await app.client.validate_project(int(project["id"]))
    assert not report["passed"]
    assert report["score"] == 0.75
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    column = COLUMNS.index("Validation")
    await wait_until(
        pilot, lambda: table.row_count == 1 and str(table.get_row_at(0)[column]) != "-"
    )
    assert str(table.get_row_at(0)[column]) == "75 %"

    screen = await open_project(app, pilot)
    await wait_until(pilot, lambda: "score" in rendered(app, "#validation-summary"))
    assert "score 75 %" in rendered(app, "#validation-summary")
    assert screen.project_id == project["id"]


async def test_the_dashboard_says_it_is_connecting_never_that_there_are_no_projects(
    tui_settings: Settings,
) -> None:
    earlier = ClaudeTuiApp(EmbeddedConnection(tui_settings))
    async with earlier.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: earlier.client is not None)
        assert earlier.client is not None
        await earlier.client.create_project({"name": "shop", "workspace_path": "shop"})

    app = ClaudeTuiApp(EmbeddedConnection(tui_settings))
    shown: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        # The first frame, before the server has answered.
        assert isinstance(app.screen, DashboardScreen)
        first = app.screen.query_one("#empty", Static)
        assert first.display
        assert "connecting to the embedded server" in str(first.render()).lower()
        table = app.screen.query_one("#projects", DataTable)
        for _ in range(600):
            if table.row_count:
                break
            if first.display:
                shown.append(str(first.render()))
            await pilot.pause(0.02)
        assert table.row_count == 1
        assert not first.display
    assert shown
    assert not [text for text in shown if "No projects" in text], shown


PYTEST = (
    f"env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest -q -p no:cacheprovider "
    "--junitxml={junit}"
)
TESTED_PROJECT = {
    "ok.py": "def ok() -> int:\n    return 1\n",
    "test_ok.py": "from ok import ok\n\n\ndef test_ok() -> None:\n    assert ok() == 1\n",
    "pyproject.toml": '[project]\nname = "ok"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
    f'pythonpath = ["."]\n\n[tool.claude-tui.validation]\ntest-command = "{PYTEST}"\n',
}


@pytest.mark.sandbox
async def test_validation_says_what_it_ran_and_when(tui: App) -> None:
    app, pilot = tui
    await project_with_files(app, TESTED_PROJECT)
    screen = await open_project(app, pilot)

    await pilot.press("v")
    await wait_until(pilot, lambda: "report #" in rendered(app, "#validation-summary"), 60)
    first = rendered(app, "#validation-summary")
    assert "static checks only" in first, first
    assert "press V to run the tests" in first, first
    assert re.search(r" at \d\d:\d\d:\d\d", first), first

    # A second run is told apart from the first.
    await pilot.press("v")
    await wait_until(pilot, lambda: rendered(app, "#validation-summary") != first, 60)
    await wait_until(pilot, lambda: "report #" in rendered(app, "#validation-summary"), 60)
    assert rendered(app, "#validation-summary") != first

    # The tests take a while: the spinner and the line say what is running meanwhile.
    busy = screen.query_one("#busy")
    await pilot.press("V")
    # On a loaded machine the run may already be over when the first poll looks.
    await wait_until(
        pilot,
        lambda: (
            bool(busy.display) or "static checks and tests" in rendered(app, "#validation-summary")
        ),
        30,
    )
    if busy.display:
        assert "Validating: static checks and tests" in rendered(app, "#validation-summary")
    await wait_until(pilot, lambda: "report #" in rendered(app, "#validation-summary"), 120)
    assert not busy.display
    done = rendered(app, "#validation-summary")
    assert "static checks and tests (1 passed, 0 failed" in done, done


async def test_an_unexpected_error_shows_its_request_id(tui: App, tmp_path: Path) -> None:
    app, pilot = tui
    # Logs go to a file as when the UI is launched, so the id shown can be looked up there.
    log_file = tmp_path / "claude-tui.log"
    configure_logging("INFO", "json", log_file, stdout=False)
    await wait_until(pilot, lambda: "connected" in rendered(app, "#status"))
    database = make_url(app.connection.settings.database_url).database  # type: ignore[attr-defined]
    assert database
    # A table the server needs is gone: its query fails in a way no handler expects.
    with closing(sqlite3.connect(database)) as db:
        db.execute("ALTER TABLE projects RENAME TO projects_elsewhere")
        db.commit()
    app.clear_notifications()
    await pilot.press("r")
    await wait_until(pilot, lambda: len(app._notifications) > 0, 60)
    messages = [str(n.message) for n in app._notifications]
    shown = next((m for m in messages if "request id" in m), None)
    assert shown is not None, messages
    request_id = shown.rsplit(" ", 1)[-1].strip(".)")
    assert len(request_id) == 32, messages
    logged = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert any(
        entry.get("request_id") == request_id and entry.get("status") == 500 for entry in logged
    ), logged[-3:]


async def test_the_dashboard_shows_the_last_audit(tui: App) -> None:
    app, pilot = tui
    project = await project_with_files(app, {"settings.py": "DEBUG = False\n"})
    table = app.screen.query_one("#projects", DataTable)
    column = COLUMNS.index("Audit")
    app.action_refresh()
    await wait_until(pilot, lambda: table.row_count == 1)
    assert str(table.get_row_at(0)[column]) == "-"
    assert app.client is not None
    report = await app.client.request(
        "POST", f"/api/v1/projects/{project['id']}/audits", json={"scanners": ["secrets"]}
    )
    await pilot.press("r")
    await wait_until(pilot, lambda: str(table.get_row_at(0)[column]) != "-")
    shown = str(table.get_row_at(0)[column])
    assert shown.startswith(report["verdict"]), (shown, report["verdict"])
    if report["findings"]:
        assert f"({len(report['findings'])})" in shown


async def test_the_next_launch_shows_the_last_known_projects_marked_as_cached(
    tui_settings: Settings, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    earlier = ClaudeTuiApp(EmbeddedConnection(tui_settings), cache_dir=cache)
    async with earlier.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: earlier.client is not None)
        assert earlier.client is not None
        await earlier.client.create_project({"name": "shop", "workspace_path": "shop"})
        earlier.action_refresh()
        table = earlier.screen.query_one("#projects", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await earlier.workers.wait_for_complete()
    assert list(cache.iterdir())
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in cache.iterdir())

    app = ClaudeTuiApp(EmbeddedConnection(tui_settings), cache_dir=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        # The first frame, before the server has answered: the projects, said to be cached.
        assert app.client is None
        table = app.screen.query_one("#projects", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "shop"
        assert "cached" in rendered(app, "#status")
        assert "connecting" in rendered(app, "#status")
        assert not app.screen.query_one("#empty").display
        # Fresh data replaces it, and the mark goes.
        await wait_until(pilot, lambda: "connected" in rendered(app, "#status"), 60)
        await wait_until(pilot, lambda: "cached" not in rendered(app, "#status"), 60)
        assert table.row_count == 1


async def test_a_long_audit_message_is_shown_in_full_for_the_highlighted_finding(
    tui: App,
) -> None:
    app, pilot = tui
    # Two hard-coded secrets: each finding's message is longer than the screen has room for.
    await project_with_files(
        app,
        {
            "settings.py": (
                # Assembled here so that the repository's own audit sees no key in this file.
                'AWS_ACCESS_KEY_ID = "' + "AK" + 'IAZ7QWERTYUIOPASDF"\n'
                'GITHUB_TOKEN = "ghp_' + "a1B2c3D4e5F6g7H8i9J0" * 2 + '"\n'
            )
        },
    )
    screen = await open_project(app, pilot)
    await pilot.press("a")
    table = screen.query_one("#audit", DataTable)
    await wait_until(pilot, lambda: table.row_count >= 1, 120)
    await pilot.pause()
    # The table runs past its right edge: without the detail the messages' ends are hidden.
    assert table.virtual_size.width > table.size.width, (table.virtual_size, table.size)
    detail = screen.query_one("#audit-detail", Static)
    for row in range(min(table.row_count, 2)):
        table.move_cursor(row=row)
        await pilot.pause()
        message = str(table.get_row_at(row)[3])
        where = str(table.get_row_at(row)[2])
        await wait_until(pilot, lambda m=message: m in str(detail.render()))
        assert where in str(detail.render())
        # Wrapped inside the screen, not cut at its right edge.
        assert detail.region.right <= app.size.width
        assert detail.region.height >= 2
