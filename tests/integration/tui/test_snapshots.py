"""Every screen as a person sees it, at 80x24 and 120x40, against SVG snapshots.

Update after an intended change with ``pytest tests/integration/tui/test_snapshots.py
--snapshot-update`` and review the SVGs; the report of a failing run is
``snapshot_report.html`` (kept by CI as an artifact).
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, TabbedContent, TextArea

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.new_project import NewProjectScreen
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.task import TaskScreen
from claude_tui.tui.widgets.project import AuditTab
from model_server import ModelServer, Reply, ToolUse
from tui_pilot import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[ClaudeTuiApp, Pilot[Any]], Awaitable[None]]


async def _settle(app: ClaudeTuiApp, pilot: Pilot[Any], *, workers: bool = True) -> None:
    """Wait for workers, stop cursor blinking and clear notifications."""
    await pilot.pause(0.3)
    if workers:
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


# Four modules, one of which does not parse: the score is 75 %.
THREE_OF_FOUR_CLEAN = {
    "a.py": "def a() -> int:\n    return 1\n",
    "b.py": "def b() -> int:\n    return 2\n",
    "c.py": "def c() -> int:\n    return 3\n",
    "broken.py": "def broken(:\n    return 4\n",
}
#: The time every validation report of these snapshots claims to have been made at.
FROZEN_REPORT_TIME = "2026-01-05 09:30:00.000000"


def _workspace(app: ClaudeTuiApp, files: dict[str, str]) -> None:
    root = app.connection.settings.effective_workspace_root / "shop"  # type: ignore[attr-defined]
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text)


def _freeze_report_times(app: ClaudeTuiApp) -> None:
    """Give every validation report the same time, so the summary line is the same each run."""
    database = make_url(app.connection.settings.database_url).database  # type: ignore[attr-defined]
    assert database
    with closing(sqlite3.connect(database)) as db:
        db.execute("UPDATE validation_reports SET created_at = ?", (FROZEN_REPORT_TIME,))
        db.commit()


async def _open_only_project(app: ClaudeTuiApp, pilot: Pilot[Any]) -> ProjectScreen:
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    screen = app.screen
    assert isinstance(screen, ProjectScreen)
    return screen


async def project_files(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await project(app, pilot)
    app.screen.query_one("#tabs", TabbedContent).active = "tab-files"


async def project_validation(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    assert app.client is not None
    created = await app.client.create_project({"name": "shop", "workspace_path": "shop"})
    _workspace(app, THREE_OF_FOUR_CLEAN)
    await app.client.validate_project(int(created["id"]))
    _freeze_report_times(app)
    screen = await _open_only_project(app, pilot)
    screen.query_one("#tabs", TabbedContent).active = "tab-validation"
    await wait_until(pilot, lambda: "75 %" in str(screen.query_one("#validation-summary").render()))


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


async def project_validation_tests(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    assert app.client is not None
    created = await app.client.create_project({"name": "shop", "workspace_path": "shop"})
    _workspace(app, TESTED_PROJECT)
    await app.client.validate_project(int(created["id"]), run_tests=True)
    _freeze_report_times(app)
    screen = await _open_only_project(app, pilot)
    screen.query_one("#tabs", TabbedContent).active = "tab-validation"
    summary = screen.query_one("#validation-summary")
    await wait_until(pilot, lambda: "static checks and tests" in str(summary.render()))


async def project_audit(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    assert app.client is not None
    created = await app.client.create_project({"name": "shop", "workspace_path": "shop"})
    # Assembled here so that the repository's own audit sees no key in this file.
    _workspace(
        app,
        {
            "settings.py": 'AWS_ACCESS_KEY_ID = "' + "AK" + 'IAZ7QWERTYUIOPASDF"\n'
            'GITHUB_TOKEN = "ghp_' + "a1B2c3D4e5F6g7H8i9J0" * 2 + '"\n'
        },
    )
    screen = await _open_only_project(app, pilot)
    # Only the secrets scanner: the others' results depend on what this machine has installed.
    report = await app.client.request(
        "POST", f"/api/v1/projects/{created['id']}/audits", json={"scanners": ["secrets"]}
    )
    assert report["findings"], report
    screen.query_one(AuditTab).show(report)
    screen.query_one("#tabs", TabbedContent).active = "tab-audit"
    await wait_until(pilot, lambda: bool(screen.query_one("#audit-detail").display))


SCREENS = [
    dashboard_empty,
    dashboard,
    new_project,
    project,
    task,
    workflow,
    settings_screen,
    help_screen,
    project_files,
    project_validation,
    project_audit,
]
#: States whose data comes from running the workspace's tests in the sandbox.
SANDBOXED_SCREENS = [project_validation_tests]


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Times on screen are local times: every run shows them in UTC."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "steps",
    [
        *(pytest.param(s, id=s.__name__) for s in SCREENS),
        *(pytest.param(s, id=s.__name__, marks=pytest.mark.sandbox) for s in SANDBOXED_SCREENS),
    ],
)
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


FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    with ModelServer() as server:
        yield server


async def _start_task(app: ClaudeTuiApp, pilot: Pilot[Any]) -> TaskScreen:
    """Open the calc project and run an ask-mode task from the task screen's form."""
    assert app.client is not None
    await app.client.create_project(
        {"name": "calc", "workspace_path": "calc", "settings": {"permission_mode": "ask"}}
    )
    root = app.connection.settings.effective_workspace_root / "calc"  # type: ignore[attr-defined]
    root.mkdir(parents=True, exist_ok=True)
    (root / "calc.py").write_text(
        'def add(a: int, b: int) -> int:\n    """The sum."""\n    return a - b\n'
    )
    await _open_only_project(app, pilot)
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    screen.query_one("#title", Input).value = "Fix add"
    screen.query_one("#instruction", TextArea).text = "Fix add so that it adds"
    screen.query_one("#run", Button).press()
    return screen


async def pending_edit(app: ClaudeTuiApp, pilot: Pilot[Any], server: ModelServer) -> None:
    server.add(Reply(text="I will fix add.", tool_calls=[ToolUse("edit_file", FIX)]))
    screen = await _start_task(app, pilot)
    await wait_until(pilot, lambda: screen.pending_approval is not None, 60)


async def pending_command(app: ClaudeTuiApp, pilot: Pilot[Any], server: ModelServer) -> None:
    server.add(Reply(tool_calls=[ToolUse("run_command", {"command": "rm -rf build && make dist"})]))
    screen = await _start_task(app, pilot)
    await wait_until(pilot, lambda: screen.pending_approval is not None, 60)


AgentSteps = Callable[[ClaudeTuiApp, Pilot[Any], ModelServer], Awaitable[None]]
AGENT_SCREENS = [pending_edit, pending_command]


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", AGENT_SCREENS, ids=[s.__name__ for s in AGENT_SCREENS])
def test_agent_screen(
    snap_compare: Any,
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    model_server: ModelServer,
    steps: AgentSteps,
    size: tuple[int, int],
) -> None:
    settings = make_settings(
        database_url=sqlite_url,
        agent_provider="anthropic",
        agent_api_key="test-key",
        agent_model="claude-sonnet-4-6",
        agent_base_url=model_server.base_url,
        agent_max_retries=1,
    )
    app = ClaudeTuiApp(EmbeddedConnection(settings))

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: app.client is not None)
        await _settle(app, pilot)
        await steps(app, pilot, model_server)
        # The task screen follows the event stream for as long as it is open.
        await _settle(app, pilot, workers=False)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
