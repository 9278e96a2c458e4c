"""Every screen as a person sees it, at 80x24 and 120x40, against SVG snapshots.

Update after an intended change with ``pytest tests/integration/tui/test_snapshots.py
--snapshot-update`` and review the SVGs; the report of a failing run is
``snapshot_report.html`` (kept by CI as an artifact).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.new_project import NewProjectScreen
from claude_tui.tui.screens.project import ProjectScreen
from tui_pilot import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[ClaudeTuiApp, Pilot[Any]], Awaitable[None]]


async def _settle(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    """Wait for workers, stop cursor blinking and clear notifications."""
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    for widget in [*app.screen.query(Input), *app.screen.query(TextArea)]:
        widget.cursor_blink = False
    app.clear_notifications()
    await pilot.pause(0.1)


async def _with_project(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    assert app.client is not None
    await app.client.create_project(
        {"name": "shop", "workspace_path": "shop", "description": "The web shop"}
    )
    workspace = app.connection.settings.effective_workspace_root / "shop"  # type: ignore[attr-defined]
    (workspace / "src").mkdir(parents=True, exist_ok=True)
    (workspace / "src" / "shop.py").write_text("def total(items):\n    return sum(items)\n")
    await app.client.create_task(1, {"title": "Add a discount", "description": "10% off"})
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)


async def dashboard(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await _with_project(app, pilot)


async def dashboard_empty(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    return None


async def new_project(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewProjectScreen))


async def project(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await _with_project(app, pilot)
    app.screen.query_one("#projects", DataTable).focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    table = app.screen.query_one("#tasks", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)


async def task(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await project(app, pilot)
    await pilot.press("t")


async def workflow(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await project(app, pilot)
    await pilot.press("w")


async def settings_screen(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f2")


async def help_screen(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f1")


SCREENS = [
    dashboard_empty,
    dashboard,
    new_project,
    project,
    task,
    workflow,
    settings_screen,
    help_screen,
]


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", SCREENS, ids=[s.__name__ for s in SCREENS])
def test_screen(
    snap_compare: Any,
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    steps: Steps,
    size: tuple[int, int],
) -> None:
    app = ClaudeTuiApp(EmbeddedConnection(make_settings(database_url=sqlite_url)))

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: app.client is not None)
        await _settle(app, pilot)
        await steps(app, pilot)
        await _settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
