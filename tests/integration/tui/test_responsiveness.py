"""The embedded UI while the agent works: its loop never blocks, and it never asks in vain."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.client import ApiError
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.project import ProjectScreen
from claude_tui.tui.screens.task import TaskScreen
from model_server import ModelServer, Reply, ToolUse
from tui_pilot import wait_until

#: Bounds for the pauses of the UI's event loop while a task runs. The target is 50 ms; on the
#: shared, loaded test machine the pauses also hold GIL hand-overs and first-use work of the
#: libraries, so the test asserts bounds that git and tool calls made on the loop exceed
#: (measured before: worst 1.3-1.5 s, p99 107-133 ms; after: worst under 0.45 s, p99 13-38 ms
#: alone and 59 ms inside the full suite, at load 9-13 on 2 cores).
TARGET_STALL_SECONDS = 0.100
MAX_STALL_SECONDS = 0.800
TICK_SECONDS = 0.005
TEST_COMMAND = (
    f"env PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 {sys.executable} -m pytest -q -p no:cacheprovider "
    "--junitxml={junit}"
)
FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}


def write_calc_project(root: Path) -> None:
    """A project whose one test fails until ``add`` is fixed."""
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


def _run_queue_seconds() -> float | None:
    """How long this thread has waited for a CPU while runnable (Linux schedstat), if known."""
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat", "rb") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


class StallSampler:
    """Wakes every few milliseconds on the loop and keeps the longest gap between wake-ups.

    The machine running the tests is shared: a gap also holds the time the kernel kept the
    loop's thread waiting for a CPU while it was ready to run. That time is measured (the
    thread's run-queue delay) and taken out, so what remains is time the loop was held by
    something in this process: synchronous work, a blocking call, or the GIL.
    """

    def __init__(self) -> None:
        self.stalls: list[float] = []
        self.raw_worst = 0.0
        self.corrected = _run_queue_seconds() is not None
        self._task: asyncio.Task[None] | None = None

    @property
    def worst(self) -> float:
        return max(self.stalls, default=0.0)

    @property
    def p99(self) -> float:
        ordered = sorted(self.stalls)
        return ordered[int(len(ordered) * 0.99)] if ordered else 0.0

    async def _run(self) -> None:
        last, queued = time.perf_counter(), _run_queue_seconds()
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now, queued_now = time.perf_counter(), _run_queue_seconds()
            gap = now - last - TICK_SECONDS
            self.raw_worst = max(self.raw_worst, gap)
            waited = (queued_now - queued) if queued is not None and queued_now else 0.0
            self.stalls.append(max(0.0, gap - waited))
            last, queued = now, queued_now

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def summary(self) -> str:
        return (
            f"{len(self.stalls)} wake-ups; largest stall {self.worst * 1000:.1f} ms, 99th "
            f"percentile {self.p99 * 1000:.1f} ms (raw largest gap {self.raw_worst * 1000:.1f} ms, "
            f"run-queue delay {'taken out' if self.corrected else 'unknown, included'})"
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


async def open_task_screen(
    app: ClaudeTuiApp, pilot: Pilot[Any], settings: Settings, mode: str = "auto"
) -> TaskScreen:
    """Create the calc project, open it, and open a new task's screen in ``mode``."""
    assert app.client is not None
    project = await app.client.create_project(
        {"name": "calc", "workspace_path": "calc", "settings": {"permission_mode": mode}}
    )
    write_calc_project(settings.effective_workspace_root / project["workspace_path"])
    app.action_refresh()
    table = app.screen.query_one("#projects", DataTable)
    await wait_until(pilot, lambda: table.row_count == 1)
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ProjectScreen))
    await pilot.press("t")
    await wait_until(pilot, lambda: isinstance(app.screen, TaskScreen))
    screen = app.screen
    assert isinstance(screen, TaskScreen)
    screen.query_one("#title", Input).value = "Fix add"
    screen.query_one("#instruction", TextArea).text = "Fix add so the tests pass"
    screen.query_one("#mode", Select).value = mode
    return screen


@pytest.mark.sandbox
async def test_the_ui_loop_never_stalls_while_the_agent_edits_and_commits(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings],
    model_server: ModelServer,
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(
        Reply(
            text="Looking around first.",
            tool_calls=[
                ToolUse("list_files", {}),
                ToolUse("search", {"pattern": "add"}),
                ToolUse("git_status", {}),
            ],
        ),
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("git_diff", {})]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    screen = await open_task_screen(app, pilot, settings)
    # Let the screens settle so only the task's own work is measured.
    await pilot.pause(0.5)
    sampler = StallSampler()
    sampler.start()
    try:
        await pilot.click("#run")
        await wait_until(
            pilot, lambda: "succeeded" in str(screen.query_one("#status").render()), 120
        )
    finally:
        await sampler.stop()
    assert model_server.remaining == 0
    assert app.client is not None
    task_id = int(screen.task_data["id"]) if screen.task_data else 0
    steps = (await app.client.task_diff(task_id))["steps"]
    assert steps, "the task committed nothing"
    print(f"event loop during the task: {sampler.summary()}")
    assert len(sampler.stalls) > 50
    said = f"the UI's event loop stalled while the agent worked: {sampler.summary()}"
    assert sampler.p99 < TARGET_STALL_SECONDS, said
    assert sampler.worst < MAX_STALL_SECONDS, said


@pytest.mark.sandbox
async def test_a_cancelled_task_takes_its_approval_prompt_away(
    agent_tui: tuple[ClaudeTuiApp, Pilot[Any], Settings], model_server: ModelServer
) -> None:
    app, pilot, settings = agent_tui
    model_server.add(Reply(tool_calls=[ToolUse("edit_file", FIX, id="toolu_edit")]))
    screen = await open_task_screen(app, pilot, settings, "ask")
    await pilot.click("#run")
    approval = screen.query_one("#approval")
    await wait_until(pilot, lambda: bool(approval.display), 60)
    assert app.client is not None
    assert screen.task_data is not None
    task_id = int(screen.task_data["id"])
    await pilot.press("c")
    await wait_until(pilot, lambda: "cancelled" in str(screen.query_one("#status").render()), 30)
    await wait_until(pilot, lambda: not approval.display, 10)
    assert screen.pending_approval is None
    # y no longer decides anything, and the server refuses a late decision.
    assert not screen.check_action("approve", ())
    await pilot.press("y")
    with pytest.raises(ApiError) as refused:
        await app.client.decide_approval(task_id, "toolu_edit", True)
    assert refused.value.status == 409
    assert (settings.effective_workspace_root / "calc" / "calc.py").read_text() == (
        "def add(a, b):\n    return a - b\n"
    )
