"""Flows a person goes through in the terminal UI, against the real embedded server."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, Select, Static, Tree

from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.dashboard import DashboardScreen
from claude_tui.tui.screens.file_view import FileViewScreen
from claude_tui.tui.screens.help import HelpScreen
from claude_tui.tui.screens.new_project import NewProjectScreen
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.settings import SettingsScreen
from tui_pilot import wait_until

App = tuple[ClaudeTuiApp, Pilot[Any]]


def text_of(app: ClaudeTuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rendered(app: ClaudeTuiApp, selector: str) -> str:
    """What a widget shows, or "" while it is not mounted yet."""
    found = app.screen.query(selector)
    return str(found.first().render()) if found else ""


async def create_project(app: ClaudeTuiApp, pilot: Pilot[Any], name: str) -> None:
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewProjectScreen))
    app.screen.query_one("#name", Input).value = name
    await pilot.click("#create")
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def open_project_with_file(
    app: ClaudeTuiApp, pilot: Pilot[Any], name: str, filename: str, text: str
) -> None:
    """Create a project through the UI, put a file in its workspace and open it."""
    await create_project(app, pilot, name)
    assert app.client is not None
    project = (await app.client.list_projects())[0]
    workspace = app.connection.settings.effective_workspace_root / project["workspace_path"]  # type: ignore[attr-defined]
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / filename).write_text(text)
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))


async def test_dashboard_shows_the_server_and_an_empty_state(tui: App) -> None:
    app, pilot = tui
    await wait_until(pilot, lambda: "connected" in text_of(app, "#status"))
    assert "embedded server" in text_of(app, "#status")
    assert app.screen.query_one("#empty").display


async def test_new_project_appears_on_the_dashboard(tui: App) -> None:
    app, pilot = tui
    await create_project(app, pilot, "shop")
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    assert str(table.get_row_at(0)[0]) == "shop"
    assert not app.screen.query_one("#empty").display


async def test_invalid_project_shows_the_error_inline(tui: App) -> None:
    app, pilot = tui
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewProjectScreen))
    app.screen.query_one("#name", Input).value = "../escape"
    await pilot.click("#create")
    error = app.screen.query_one("#error", Static)
    await wait_until(pilot, lambda: bool(str(error.render())))
    assert isinstance(app.screen, NewProjectScreen)
    assert "name" in str(error.render()) or "path" in str(error.render())
    await pilot.press("escape")
    assert isinstance(app.screen, DashboardScreen)


async def test_project_from_a_template_with_its_questions(tui: App) -> None:
    app, pilot = tui
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewProjectScreen))
    screen = app.screen
    assert isinstance(screen, NewProjectScreen)
    await wait_until(pilot, lambda: "python-package" in screen.templates)
    screen.query_one("#source", Select).value = "python-package"
    await wait_until(pilot, lambda: len(screen.query(".question")) > 0)
    screen.query_one("#name", Input).value = "lib"
    await pilot.click("#create")
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), seconds=60)
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    tree = app.screen.query_one("#files", Tree)
    await wait_until(pilot, lambda: len(tree.root.children) > 0)
    names = [str(node.label) for node in tree.root.children]
    assert any("pyproject.toml" in n for n in names), names


async def test_open_a_file_with_highlighting(tui: App) -> None:
    app, pilot = tui
    await open_project_with_file(app, pilot, "files", "hello.py", "def hello():\n    return 'hi'\n")
    screen = app.screen
    assert isinstance(screen, ProjectScreen)
    tree = screen.query_one("#files", Tree)
    await wait_until(pilot, lambda: len(tree.root.children) == 1)
    screen.open_file("hello.py")
    await wait_until(pilot, lambda: isinstance(app.screen, FileViewScreen))
    await wait_until(pilot, lambda: "return" in app.export_screenshot())
    await pilot.press("escape")
    assert isinstance(app.screen, ProjectScreen)


async def test_help_and_settings_screens(tui: App) -> None:
    app, pilot = tui
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
    assert app.screen.query_one(Markdown) is not None
    await pilot.press("escape")
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    app.screen.query_one("#theme", Select).value = "textual-light"
    await pilot.pause()
    assert app.theme == "textual-light"


async def test_server_errors_become_notifications_not_crashes(tui: App) -> None:
    app, pilot = tui
    assert app.client is not None
    await app.client.aclose()
    app.client = type(app.client)("http://127.0.0.1:9", "x")  # nothing listens on port 9
    app.screen.query_one("#projects", DataTable)
    await pilot.press("r")
    await wait_until(pilot, lambda: len(app._notifications) > 0)
    assert isinstance(app.screen, DashboardScreen)


async def test_validate_and_audit_from_the_project_screen(tui: App) -> None:
    app, pilot = tui
    await open_project_with_file(app, pilot, "checked", "todo.py", "def later():\n    pass\n")
    await pilot.press("v")
    await wait_until(
        pilot, lambda: "Validation report #" in rendered(app, "#validation-summary"), 60
    )
    findings = app.screen.query_one("#validation", DataTable)
    assert findings.row_count >= 1
    assert any("todo.py" in str(findings.get_row_at(i)[2]) for i in range(findings.row_count))
    await pilot.press("a")
    await wait_until(pilot, lambda: "Audit:" in rendered(app, "#audit-summary"), 120)
    assert "not completed" in rendered(app, "#audit-summary")
