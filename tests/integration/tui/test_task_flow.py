"""Running an AI task from the terminal UI against the scripted model server."""

from __future__ import annotations

import io
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RichLog, Select, Static, TextArea
from textual.widgets._footer import FooterKey

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.confirm import ConfirmScreen
from claude_tui.tui.screens.dashboard import COLUMNS, DashboardScreen
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.task import TaskScreen
from model_server import ModelServer, Reply, Stall, ToolUse
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


async def start_task(
    app: ClaudeTuiApp, pilot: Pilot[Any], mode: str, *, keyboard: bool = False
) -> TaskScreen:
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    screen.query_one("#title", Input).value = "Fix add"
    screen.query_one("#instruction", TextArea).text = "Fix add so the tests pass"
    screen.query_one("#mode", Select).value = mode
    if keyboard:
        # Tab to Run and press enter once, as a person at the keyboard does.
        screen.query_one("#model", Input).focus()
        while app.focused is not screen.query_one("#run", Button):
            await pilot.press("tab")
        await pilot.press("enter")
    else:
        await pilot.click("#run")
    return screen


def log_text(screen: TaskScreen) -> str:
    return "\n".join(str(line.text) for line in screen.query_one("#events", RichLog).lines)


@pytest.mark.sandbox
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
    await wait_until(pilot, lambda: "The task is now succeeded." in log_text(screen))
    text = log_text(screen)
    for expected in (
        "The model says: I will fix add.",
        "The agent will edit calc.py (1 change).",
        "Validation of the edit of calc.py passed: no findings.",
        "The full validation passed: no findings; tests: 1 passed, 0 failed, 0 errors.",
        "Committed the step",
        "The task is now succeeded.",
    ):
        assert expected in text, text
    # Sentences, not the events' JSON.
    assert "{" not in text, text
    assert "100%" in str(screen.query_one("#status").render())
    await pilot.press("d")
    await wait_until(pilot, lambda: "+    return a + b" in log_text(screen))


def footer_keys(app: ClaudeTuiApp) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


@pytest.mark.sandbox
async def test_ask_mode_shows_each_pending_call_and_waits_for_a_decision(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(tool_calls=[ToolUse("run_command", {"command": "rm -rf build && make dist"})]),
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    await open_project(app, pilot, settings, "ask")
    screen = await start_task(app, pilot, "ask")
    approval = screen.query_one("#approval")

    # A command: its whole command line, and y/n in the footer while it waits.
    await wait_until(pilot, lambda: bool(approval.display), 60)
    await wait_until(pilot, lambda: "$ rm -rf build && make dist" in approval_text(screen))
    assert "rm -rf build" in str(screen.query_one("#approval-text").render())
    await wait_until(pilot, lambda: footer_keys(app).get("y") == "Approve")
    assert footer_keys(app).get("n") == "Reject"
    offered = [c.title for c in app.get_system_commands(screen)]
    assert "Approve" in offered, offered
    assert "Reject" in offered, offered
    await pilot.press("n")
    # The panel may go and come back within one batch of events: the log is the witness.
    await wait_until(pilot, lambda: "The call was rejected" in log_text(screen), 60)

    # An edit: the diff of the pending change, and d puts it in the log.
    await wait_until(pilot, lambda: bool(approval.display), 60)
    await wait_until(pilot, lambda: "+    return a + b" in approval_text(screen))
    assert "-    return a - b" in approval_text(screen)
    assert "edit calc.py" in str(screen.query_one("#approval-text").render())
    await pilot.press("d")
    await wait_until(pilot, lambda: "Pending, not applied yet: edit calc.py" in log_text(screen))
    await pilot.press("y")
    await wait_until(pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 90)
    assert not approval.display
    await wait_until(pilot, lambda: "y" not in footer_keys(app))
    assert "Approve" not in [c.title for c in app.get_system_commands(screen)]
    text = log_text(screen)
    assert "Waiting for your approval to run `rm -rf build && make dist`." in text, text
    assert "The call was rejected" in text, text
    assert "The call was approved" in text, text

    # Where the work is, and how to merge it.
    outcome = screen.query_one("#outcome")
    await wait_until(pilot, lambda: bool(outcome.display), 30)
    said = str(outcome.render())
    assert "claude-tui/task-" in said, said
    assert "git merge claude-tui/task-" in said, said


def approval_text(screen: TaskScreen) -> str:
    """The pending call as the approval panel shows it (a diff is rendered as its text)."""
    call = screen.pending_change
    if call is None:
        return ""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(call)
    return console.export_text()


@pytest.mark.sandbox
async def test_undo_asks_first(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    await open_project(app, pilot, settings, "auto")
    screen = await start_task(app, pilot, "auto", keyboard=True)
    await wait_until(pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 90)
    assert app.client is not None
    task_id = int(screen.task_data["id"]) if screen.task_data else 0
    steps = len((await app.client.task_diff(task_id))["steps"])
    assert steps >= 1

    await pilot.press("u")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("n")
    await wait_until(pilot, lambda: app.screen is screen)
    await pilot.pause(0.5)
    assert len((await app.client.task_diff(task_id))["steps"]) == steps

    await pilot.press("u")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    await wait_until(pilot, lambda: any("Undo: done" in str(n.message) for n in app._notifications))
    assert len((await app.client.task_diff(task_id))["steps"]) == steps - 1


@pytest.mark.sandbox
async def test_tokens_and_cost_move_while_the_task_runs(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(
            text="Reading first.",
            tool_calls=[ToolUse("read_file", {"path": "calc.py"})],
            input_tokens=1000,
            output_tokens=234,
        ),
        # The second turn hangs: whatever the status shows now was spent mid-run.
        Stall(max_seconds=20),
    )
    await open_project(app, pilot, settings, "auto")
    screen = await start_task(app, pilot, "auto")
    status = screen.query_one("#status")
    await wait_until(pilot, lambda: model_server.stall_started.is_set(), 60)
    await wait_until(pilot, lambda: "1,234 tokens" in str(status.render()))
    shown = str(status.render())
    assert "running" in shown, shown
    assert "$0.0000" not in shown, shown
    await pilot.press("escape")


@pytest.mark.sandbox
async def test_the_dashboard_shows_the_agents_validation(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 90})]),
    )
    await open_project(app, pilot, settings, "auto")
    dashboard = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
    table = dashboard.query_one("#projects", DataTable)
    column = COLUMNS.index("Validation")
    assert str(table.get_row_at(0)[column]) == "-"
    screen = await start_task(app, pilot, "auto")
    await wait_until(pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 90)
    while app.screen is not dashboard:
        await pilot.press("escape")
        await pilot.pause()
    app.action_refresh()
    await wait_until(pilot, lambda: str(table.get_row_at(0)[column]) != "-")
    assert "100" in str(table.get_row_at(0)[column])


@pytest.mark.sandbox
async def test_the_models_text_shows_on_the_task_screen_as_it_streams(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    # The turn never ends: the words on screen can only have come from the stream.
    model_server.add(Stall(text_before="Reading now.", max_seconds=30))
    await open_project(app, pilot, settings, "auto")
    screen = await start_task(app, pilot, "auto")
    stream = screen.query_one("#stream", Static)
    await wait_until(pilot, lambda: "Reading now." in str(stream.render()), 60)
    assert stream.display
    assert "The model is writing: Reading now." in str(stream.render())
    assert "running" in str(screen.query_one("#status").render())
    await pilot.press("c")
    await wait_until(pilot, lambda: "The task is now cancelled" in log_text(screen), 30)
    # What was said stays in the log once the stream is over.
    assert "The model said: Reading now." in log_text(screen)
    assert not stream.display
