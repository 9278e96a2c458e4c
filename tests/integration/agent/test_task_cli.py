"""``claude-tui task run|list|show|undo|cancel`` in the embedded mode, against the model server."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest
from typer.testing import CliRunner

from claude_tui.cli import app as cli_app
from claude_tui.settings import Settings, get_settings
from claude_tui.storage import migrate
from model_server import ModelServer, Reply, Stall, ToolUse

FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}


@pytest.fixture
def cli_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> Iterator[Path]:
    """Settings through the environment, a migrated database, a user and project ``calc``."""
    env = {
        "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"),
        "CLAUDE_TUI_WORKSPACE_ROOT": str(tmp_path / "ws"),
        "CLAUDE_TUI_AGENT_PROVIDER": "openai",
        "CLAUDE_TUI_AGENT_MODEL": "qwen2.5-coder:7b",
        "CLAUDE_TUI_AGENT_BASE_URL": model_server.openai_base_url,
        "CLAUDE_TUI_REDIS_URL": "",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    asyncio.run(_make_project(settings))
    calc_project(tmp_path / "ws" / "calc")
    yield tmp_path / "ws" / "calc"
    get_settings.cache_clear()


async def _make_project(settings: Settings) -> None:
    from claude_tui.services import identity, projects
    from claude_tui.services.principal import Principal
    from claude_tui.storage.database import Database

    operator = Principal(user_id=0, username="op", is_admin=True, via="local")
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            user = await identity.create_user(
                session,
                operator,
                username="dev",
                email="dev@example.test",
                password="Correct-Horse-42-battery",
                is_admin=True,
            )
        owner = Principal(user_id=user.id, username="dev", is_admin=True)
        async with db.session() as session:
            await projects.create_project(
                session,
                owner,
                settings.effective_workspace_root,
                projects.ProjectCreate(
                    name="calc",
                    workspace_path="calc",
                    settings=projects.ProjectSettings(permission_mode="ask"),
                ),
            )
    finally:
        await db.dispose()


@pytest.mark.sandbox
def test_task_run_streams_steps_and_exits_by_outcome(
    cli_env: Path, model_server: ModelServer
) -> None:
    model_server.add(
        Reply(text="Fixing the subtraction.", tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    runner = CliRunner()
    result = runner.invoke(cli_app, ["task", "run", "calc", "Fix add", "--yes"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "task 1 queued in project calc" in out
    # The terminal UI's sentences, in the order the steps happened.
    said = [
        "The model is writing: Fixing the subtraction.",
        "The agent will edit calc.py (1 change).",
        "Validation of the edit of calc.py passed",
        "The full validation passed: no findings; tests: 1 passed, 0 failed, 0 errors.",
        "verified 100%, claimed 100%; 240 tokens",
        "task 1 succeeded",
    ]
    places = [out.find(line) for line in said]
    assert -1 not in places, out
    assert places == sorted(places), out
    assert out.strip().endswith("task 1 succeeded")
    assert "Progress:" not in out

    listed = runner.invoke(cli_app, ["task", "list", "--project", "calc"])
    assert listed.exit_code == 0
    assert "succeeded" in listed.output
    assert "100.0%/100.0%" in listed.output
    shown = runner.invoke(cli_app, ["task", "show", "1"])
    assert "status succeeded; verified 100.0%, claimed 100.0%" in shown.output
    assert "The call was approved." in shown.output
    undone = runner.invoke(cli_app, ["task", "undo", "1"])
    assert undone.exit_code == 0, undone.output
    assert "undone: claude-tui task 1:" in undone.output
    assert "return a - b" in (cli_env / "calc.py").read_text()
    shown = runner.invoke(cli_app, ["task", "show", "1"])
    assert "verified 0.0%, claimed 100.0%" in shown.output
    again = runner.invoke(cli_app, ["task", "undo", "1"])
    assert again.exit_code == 2
    assert "claude-tui: task 1 has no step to undo" in again.output


@pytest.mark.sandbox
def test_a_failing_task_exits_non_zero_and_declined_steps_change_nothing(
    cli_env: Path, model_server: ModelServer
) -> None:
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(text="I give up, but it is done."),
    )
    result = CliRunner().invoke(cli_app, ["task", "run", "calc", "Fix add"])
    assert result.exit_code == 1, result.output
    assert (
        "the user declined edit_file: declined at the terminal"
        in (model_server.requests[1].tool_results()[0])
    )
    assert "return a - b" in (cli_env / "calc.py").read_text()
    missing = CliRunner().invoke(cli_app, ["task", "run", "nope", "x"])
    assert missing.exit_code == 2
    assert "no project named 'nope'" in missing.output
    cancel = CliRunner().invoke(cli_app, ["task", "cancel", "1"])
    assert cancel.exit_code == 2
    assert "Task 1" in cancel.output


@pytest.mark.sandbox
def test_task_run_prints_the_model_text_as_it_streams(
    cli_env: Path, model_server: ModelServer
) -> None:
    # The model writes a few words and then keeps the turn open: only a streamed piece can
    # reach the terminal, since the turn's whole message never comes.
    model_server.add(Stall(text_before="Reading now.", max_seconds=60))
    process = subprocess.Popen(
        [sys.executable, "-m", "claude_tui", "task", "run", "calc", "Fix add", "--yes"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = bytearray()
    reader = threading.Thread(target=_read_all, args=(process.stdout, output), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while b"The model is writing: Reading now." not in output:
            assert process.poll() is None, output.decode()
            assert time.monotonic() < deadline, f"no streamed text: {output.decode()!r}"
            time.sleep(0.1)
        ended = [b"task 1 " + end for end in (b"succeeded", b"failed", b"cancelled")]
        assert not any(end in output for end in ended), output.decode()
        # Ctrl-C cancels the task on the server, and says so in one line.
        process.send_signal(signal.SIGINT)
        assert process.wait(60) == 130, output.decode()
        reader.join(10)
        assert b"task 1 cancelled" in output, output.decode()
        assert b"Traceback" not in output, output.decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        reader.join(10)
    shown = CliRunner().invoke(cli_app, ["task", "show", "1"])
    assert "status cancelled" in shown.output, shown.output


def _read_all(stream: IO[bytes], into: bytearray) -> None:
    while chunk := os.read(stream.fileno(), 4096):
        into.extend(chunk)


class _Terminal:
    """``claude-tui task run`` with its input on a pseudo-terminal, so that it asks at each step."""

    def __init__(self, *args: str) -> None:
        self._keyboard, terminal = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claude_tui", "task", "run", *args],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        os.close(terminal)
        assert self.process.stdout is not None
        self.output = bytearray()
        self._reader = threading.Thread(
            target=_read_all, args=(self.process.stdout, self.output), daemon=True
        )
        self._reader.start()

    async def wait_for(self, text: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while text.encode() not in self.output:
            assert self.process.poll() is None or text.encode() in self.output, self.text
            assert time.monotonic() < deadline, f"{text!r} never came: {self.text!r}"
            await asyncio.sleep(0.1)

    def type(self, keys: str) -> None:
        os.write(self._keyboard, keys.encode())

    async def exit_code(self, seconds: float = 60) -> int:
        deadline = time.monotonic() + seconds
        while self.process.poll() is None:
            assert time.monotonic() < deadline, self.text
            await asyncio.sleep(0.1)
        self._reader.join(10)
        return self.process.returncode

    @property
    def text(self) -> str:
        return self.output.decode(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._reader.join(10)
        os.close(self._keyboard)


async def _decisions(task_id: int) -> list[dict[str, object]]:
    from sqlalchemy import select

    from claude_tui.storage.database import Database
    from claude_tui.storage.models import TaskEvent

    db = Database(get_settings().database_url)
    try:
        async with db.session() as session:
            rows = await session.scalars(
                select(TaskEvent.payload)
                .where(TaskEvent.task_id == task_id, TaskEvent.kind == "agent.approval_decision")
                .order_by(TaskEvent.id)
            )
            return [dict(payload) for payload in rows]
    finally:
        await db.dispose()


@pytest.mark.sandbox
async def test_a_step_approved_at_the_terminal_after_a_cancel_is_not_recorded(
    cli_env: Path, model_server: ModelServer
) -> None:
    model_server.add(Reply(tool_calls=[ToolUse("edit_file", FIX, id="toolu_edit")]))
    terminal = _Terminal("calc", "Fix add")
    try:
        await terminal.wait_for("allow edit_file")
        # The cancel runs a second embedded server on the same database: starting, it must
        # not take the first one's running task for abandoned (it failed it before).
        cancel = await asyncio.to_thread(CliRunner().invoke, cli_app, ["task", "cancel", "1"])
        assert cancel.exit_code == 0, cancel.output + terminal.text
        terminal.type("y\n")
        assert await terminal.exit_code() == 3, terminal.text
    finally:
        terminal.close()
    assert (
        "Task 1 is cancelled; its calls can no longer be approved or declined. "
        "The decision was not recorded." in terminal.text
    )
    assert terminal.text.strip().endswith("task 1 cancelled: cancelled by local")
    assert await _decisions(1) == []
    assert "return a - b" in (cli_env / "calc.py").read_text()


@pytest.mark.sandbox
async def test_a_step_decided_through_the_api_cannot_be_decided_again_at_the_terminal(
    cli_env: Path, model_server: ModelServer
) -> None:
    from claude_tui.api.app import create_app

    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX, id="toolu_edit")]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    terminal = _Terminal("calc", "Fix add")
    try:
        await terminal.wait_for("allow edit_file")
        # The server shares the database but runs no tasks: the terminal's process runs this one.
        app = create_app(get_settings().model_copy(update={"agent_provider": None}))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            ) as client,
        ):
            login = await client.post(
                "/api/v1/auth/token",
                data={"username": "dev", "password": "Correct-Horse-42-battery"},
            )
            assert login.status_code == 200, login.text
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            decided = await client.post(
                "/api/v1/tasks/1/approvals",
                json={"call_id": "toolu_edit", "approved": True},
                headers=headers,
            )
            assert decided.status_code == 204, decided.text
        terminal.type("n\n")
        assert await terminal.exit_code() == 0, terminal.text
    finally:
        terminal.close()
    assert (
        "The call 'toolu_edit' was already decided. The decision was not recorded." in terminal.text
    )
    assert terminal.text.strip().endswith("task 1 succeeded")
    assert [(d["approved"], d["by"]) for d in await _decisions(1)] == [(True, "dev")]
    assert "return a + b" in (cli_env / "calc.py").read_text()


def test_projects_are_added_listed_shown_and_removed_by_directory(
    cli_env: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    fresh = tmp_path / "ws" / "notes app"
    fresh.mkdir()
    added = runner.invoke(cli_app, ["project", "add", str(fresh), "--mode", "auto"])
    assert added.exit_code == 0, added.output
    assert "project 2 notes app added" in added.output
    again = runner.invoke(cli_app, ["project", "add", str(fresh)])
    assert again.exit_code == 2
    assert "is already project 'notes app'" in again.output
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    refused = runner.invoke(cli_app, ["project", "add", str(outside)])
    assert refused.exit_code == 2, refused.output
    assert "workspace" in refused.output.lower(), refused.output
    listed = runner.invoke(cli_app, ["project", "list"])
    assert listed.exit_code == 0, listed.output
    assert "calc" in listed.output
    assert "notes app" in listed.output
    assert "auto" in listed.output
    shown = runner.invoke(cli_app, ["project", "show", str(fresh)])
    assert shown.exit_code == 0, shown.output
    assert "project 2: notes app" in shown.output
    assert "0 task(s)" in shown.output
    removed = runner.invoke(cli_app, ["project", "remove", "notes app", "--yes"])
    assert removed.exit_code == 0, removed.output
    assert fresh.is_dir()  # the files stay
    gone = runner.invoke(cli_app, ["project", "show", "notes app"])
    assert gone.exit_code == 2
    assert "no project named 'notes app'" in gone.output


@pytest.mark.sandbox
def test_task_run_on_a_directory_registers_it_as_a_project(
    cli_env: Path,
    tmp_path: Path,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    second = calc_project(tmp_path / "ws" / "second")
    model_server.add(
        Reply(tool_calls=[ToolUse("edit_file", FIX)]),
        Reply(tool_calls=[ToolUse("finish", {"summary": "fixed", "claimed_progress": 100})]),
    )
    result = CliRunner().invoke(cli_app, ["task", "run", str(second), "Fix add", "--mode", "auto"])
    assert result.exit_code == 0, result.output
    assert f"registered {second} as project second" in result.output
    assert "task 1 queued in project second" in result.output
    # auto mode: nobody was asked
    assert "Waiting for your approval" not in result.output
    assert "return a + b" in (second / "calc.py").read_text()
    bad = CliRunner().invoke(cli_app, ["task", "run", str(second), "x", "--mode", "yolo"])
    assert bad.exit_code == 2
    assert "unknown mode 'yolo'" in bad.output
