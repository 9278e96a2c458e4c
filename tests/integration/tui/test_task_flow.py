"""Running an AI task from the terminal UI against the scripted model server."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RichLog, Select, TextArea

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.task import TaskScreen
from model_server import ModelServer, Reply, ToolUse
from tui_pilot import wait_until

FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}
TEST_COMMAND = (
    f"env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest -q -p no:cacheprovider "
    "--junitxml={junit}"
)


def write_project(root: Path) -> None:
    (root / "tests").mkdir(parents=True, exist_ok=True)
    (root / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    (root / "tests" / "test_calc.py").write_text(
        "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "calc"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
        'pythonpath = ["."]\n\n[tool.claude-tui.validation]\n'
        f'test-command = "{TEST_COMMAND}"\n'
    )


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    with ModelServer() as server:
        yield server


@pytest.fixture
async def agent_tui(
    make_settings: Callable[..., Settings], sqlite_url: str, model_server: ModelServer
) -> AsyncIterator[tuple[ClaudeTuiApp, Pilot[Any], Settings]]:
    settings = make_settings(
        database_url=sqlite_url,
        agent_provider="anthropic",
        agent_api_key="test-key",
        agent_model="claude-sonnet-4-6",
        agent_base_url=model_server.base_url,
        agent_max_retries=1,
    )
    app = ClaudeTuiApp(EmbeddedConnection(settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.client is not None)
        yield app, pilot, settings


async def open_project(app: ClaudeTuiApp, pilot: Pilot[Any], settings: Settings, mode: str) -> None:
    assert app.client is not None
    project = await app.client.create_project(
        {"name": "calc", "workspace_path": "calc", "settings": {"permission_mode": mode}}
    )
    write_project(settings.effective_workspace_root / project["workspace_path"])
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))


async def start_task(app: ClaudeTuiApp, pilot: Pilot[Any], mode: str) -> TaskScreen:
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    screen.query_one("#title", Input).value = "Fix add"
    screen.query_one("#instruction", TextArea).text = "Fix add so the tests pass"
    screen.query_one("#mode", Select).value = mode
    await pilot.click("#run")
    return screen


def log_text(screen: TaskScreen) -> str:
    return "\n".join(str(line.text) for line in screen.query_one("#events", RichLog).lines)


async def test_a_task_runs_and_its_steps_stream_live(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(text="I will fix add.", tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 90})]),
    )
    await open_project(app, pilot, settings, "auto")
    screen = await start_task(app, pilot, "auto")
    await wait_until(pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 90)
    text = log_text(screen)
    for expected in ("model I will fix add.", "tool edit_file", "validation passed", "commit"):
        assert expected in text, text
    assert "100%" in str(screen.query_one("#status").render())
    await pilot.press("d")
    await wait_until(pilot, lambda: "+    return a + b" in log_text(screen))


async def test_ask_mode_waits_for_approval_in_the_ui(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    await open_project(app, pilot, settings, "ask")
    screen = await start_task(app, pilot, "ask")
    approval = screen.query_one("#approval")
    await wait_until(pilot, lambda: bool(approval.display), 60)
    assert "edit_file" in str(screen.query_one("#approval-text").render())
    await pilot.press("y")
    await wait_until(pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 90)
    assert not approval.display
