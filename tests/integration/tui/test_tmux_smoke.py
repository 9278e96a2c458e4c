"""A person at a real terminal: claude-tui in tmux, driven by keystrokes, read off the screen."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from servers import require_tool

ENTRY = Path(sys.executable).with_name("claude-tui")


class Tmux:
    def __init__(self, session: str, socket: Path) -> None:
        self.session = session
        self.base = ["tmux", "-S", str(socket)]

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [*self.base, *args], capture_output=True, text=True, check=True, timeout=30
        )
        return result.stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-t", self.session, "-p")

    def wait_gone(self, text: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} stayed on the screen:\n{self.screen()}")

    def wait_for(self, text: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    require_tool("tmux", install="apt-get install tmux")
    socket = tmp_path / "tmux.sock"
    session = f"ctui-{uuid.uuid4().hex[:8]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLAUDE_TUI_")}
    env.update(CLAUDE_TUI_DATA_DIR=str(tmp_path / "data"), TERM="xterm-256color")
    subprocess.run(
        [
            "tmux",
            "-S",
            str(socket),
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            str(ENTRY),
        ],
        env=env,
        check=True,
        timeout=30,
    )
    terminal = Tmux(session, socket)
    try:
        yield terminal
    finally:
        subprocess.run([*terminal.base, "kill-server"], check=False, timeout=30)
        # The UI leaves its local server running for the next launch: none comes here.
        subprocess.run([str(ENTRY), "local-server", "stop"], env=env, check=False, timeout=60)


@pytest.mark.slow
def test_create_a_project_and_validate_it_at_a_real_terminal(tmux: Tmux) -> None:
    tmux.wait_for("connected")
    # Only a loaded, empty list says so; while connecting or loading the screen says that.
    tmux.wait_for("No projects yet")
    tmux.keys("C-n")
    tmux.wait_for("Description (optional)")
    time.sleep(0.5)  # the dialog focuses its first field once mounted
    tmux.type("smoke")
    tmux.keys("Enter")
    tmux.wait_for("Project smoke created")
    shown = tmux.wait_gone("No projects yet")
    assert "smoke" in shown
    tmux.keys("Enter")
    tmux.wait_for("Validation")
    tmux.keys("v")
    shown = tmux.wait_for("Validation report #", seconds=120)
    assert "passed" in shown or "failed" in shown
    # The summary is one long line that the terminal wraps wherever it falls.
    assert "static checks only" in " ".join(shown.split())
    tmux.keys("Escape")
    tmux.wait_for("Projects")
    tmux.keys("C-q")
