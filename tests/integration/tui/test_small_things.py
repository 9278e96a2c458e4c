"""Keys, footer, palette and focus: the small things a person runs into first."""

from __future__ import annotations

from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Footer, Input, Label, Select
from textual.widgets._footer import FooterKey

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.dashboard import DashboardScreen
from claude_tui.tui.screens.help import HELP
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.settings import SettingsScreen
from claude_tui.tui.screens.task import TaskScreen
from tui_pilot import wait_until

App = tuple[ClaudeTuiApp, Pilot[Any]]


async def open_settings(app: ClaudeTuiApp, pilot: Pilot[Any]) -> SettingsScreen:
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_one_enter_on_the_focused_save_button_saves(tui: App) -> None:
    app, pilot = tui
    screen = await open_settings(app, pilot)
    screen.query_one("#provider-model", Input).value = "model-from-the-keyboard"
    # Reach Save with the keyboard, as a person does: tab from the last field.
    screen.query_one("#api-key", Input).focus()
    await pilot.pause()
    while app.focused is not screen.query_one("#save-provider", Button):
        await pilot.press("tab")
    await pilot.press("enter")
    assert app.client is not None
    await wait_until(pilot, lambda: any("saved" in str(n.message) for n in app._notifications))
    assert (await app.client.provider_settings())["model"] == "model-from-the-keyboard"


async def _project_screen(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    assert app.client is not None
    await app.client.create_project({"name": "shop", "workspace_path": "shop"})
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))


def footer_fits(app: ClaudeTuiApp) -> list[str]:
    """What of the footer is cut off: its width if it overflows, and the keys off the screen."""
    footer = app.screen.query_one(Footer)
    cut = [
        f"{key.key} {key.description}"
        for key in footer.query(FooterKey)
        if key.region.width == 0 or key.region.right > footer.region.right
    ]
    if footer.virtual_size.width > footer.size.width:
        cut.insert(0, f"needs {footer.virtual_size.width} columns of {footer.size.width}")
    return cut


async def test_the_footer_fits_at_120_columns_on_every_screen(tui: App) -> None:
    app, pilot = tui
    await wait_until(pilot, lambda: bool(app.screen.query(FooterKey)))
    assert app.size.width == 120
    # Laid out, the footer fits; a loaded machine may take a moment to lay it out.
    await wait_until(pilot, lambda: footer_fits(app) == [])
    await _project_screen(app, pilot)
    await wait_until(pilot, lambda: footer_fits(app) == [])
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    await wait_until(pilot, lambda: footer_fits(app) == [])


async def test_settings_focuses_its_first_field_and_fills_in_once_connected(
    tui_settings: Settings,
) -> None:
    app = ClaudeTuiApp(EmbeddedConnection(tui_settings))
    async with app.run_test(size=(120, 40)) as pilot:
        # Opened at once, before the server has answered.
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        await pilot.pause()
        assert app.focused is screen.query_one("#provider-name", Select)
        key_state = screen.query_one("#key-state", Label)
        await wait_until(pilot, lambda: str(key_state.render()) != "…", 60)
        assert str(key_state.render()).startswith("no key stored")
        await pilot.press("escape")
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await wait_until(pilot, lambda: "connected" in str(dashboard.query_one("#status").render()))
        await app.workers.wait_for_complete()


async def palette_offers(app: ClaudeTuiApp, pilot: Pilot[Any], query: str) -> list[str]:
    """The commands the palette lists for ``query``."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*query)
    commands = app.screen.query_one(CommandList)
    await wait_until(pilot, lambda: commands.option_count > 0)
    await pilot.pause(0.3)
    shown = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette))
    return shown


async def _task_screen(app: ClaudeTuiApp, pilot: Pilot[Any]) -> TaskScreen:
    await _project_screen(app, pilot)
    assert app.client is not None
    await app.client.create_task(1, {"title": "Add a discount", "description": "10% off"})
    app.action_refresh()
    tasks = app.screen.query_one("#tasks", DataTable)
    await wait_until(pilot, lambda: tasks.row_count == 1)
    tasks.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    return screen


async def test_the_palette_offers_the_task_screens_actions_by_name(tui: App) -> None:
    app, pilot = tui
    await _task_screen(app, pilot)
    for query, title in (("undo", "Undo step"), ("cancel", "Cancel task"), ("diff", "Show diff")):
        offered = await palette_offers(app, pilot, query)
        assert any(title in shown for shown in offered), (query, offered)


async def test_help_explains_every_key_the_footer_shows(tui: App) -> None:
    app, pilot = tui
    shown: dict[str, set[str]] = {}

    async def note(name: str) -> None:
        await pilot.pause(0.2)
        shown[name] = {key.key for key in app.screen.query(FooterKey)}

    await wait_until(pilot, lambda: bool(app.screen.query(FooterKey)))
    await note("dashboard")
    await _task_screen(app, pilot)
    await note("task")
    await pilot.press("escape")
    await note("project")
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await note("settings")
    missing = {
        name: sorted(key for key in keys if f"`{key}`" not in HELP) for name, keys in shown.items()
    }
    assert all(not keys for keys in missing.values()), missing


async def test_at_80_columns_nothing_is_cut_and_f2_still_opens_settings(
    tui_settings: Settings,
) -> None:
    app = ClaudeTuiApp(EmbeddedConnection(tui_settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.client is not None)
        assert app.client is not None
        await app.client.create_project({"name": "shop", "workspace_path": "shop"})
        await app.client.create_task(1, {"title": "Add a discount", "description": "10% off"})
        app.action_refresh()
        table: DataTable[Any] = app.screen.query_one("#projects", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.pause(0.2)
        assert footer_fits(app) == []
        # Every column, Audit the last, inside the table (no horizontal scrolling needed).
        assert table.virtual_size.width <= table.scrollable_content_region.width

        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause(0.2)
        assert len(app.screen_stack) == 3  # the default screen, the dashboard, one Settings
        await pilot.press("escape")

        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
        await pilot.pause(0.2)
        assert footer_fits(app) == []
        assert "V" in {key.key for key in app.screen.query(FooterKey)}

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
        await pilot.pause(0.2)
        assert footer_fits(app) == []
