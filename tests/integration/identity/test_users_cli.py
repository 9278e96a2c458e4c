"""``claude-tui users create-admin`` and ``users list`` against a real database."""

from __future__ import annotations

import fcntl
import logging
import os
import pty
import select
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claude_tui.cli import app
from claude_tui.settings import get_settings

runner = CliRunner()
PASSWORD = "Admin-passphrase-2026"


@pytest.fixture
def cli_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[dict[str, str]]:
    env = {
        "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"),
        "CLAUDE_TUI_ENV": "development",
        "CLAUDE_TUI_DATABASE_URL": database_url,
    }
    for key in list(os.environ):
        if key.startswith("CLAUDE_TUI_") and key != "CLAUDE_TUI_REQUIRE_SERVICES":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    # Handlers other tests left on the root logger may write to streams closed since.
    root = logging.getLogger()
    handlers = list(root.handlers)
    root.handlers.clear()
    yield env
    root.handlers[:] = handlers
    get_settings.cache_clear()


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_create_admin_from_stdin_then_list(cli_env: dict[str, str]) -> None:
    assert run("db", "upgrade")[0] == 0
    code, out = run("users", "list")
    assert code == 0
    assert "no users yet" in out
    code, out = run(
        "users",
        "create-admin",
        "--username",
        "Root",
        "--email",
        "root@example.test",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, out
    assert "administrator root created" in out
    assert PASSWORD not in out
    code, out = run("users", "list")
    assert code == 0
    assert "root" in out
    assert "admin" in out
    code, out = run(
        "users",
        "create-admin",
        "--username",
        "root",
        "--email",
        "other@example.test",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code != 0
    assert "already exists" in out


@pytest.mark.parametrize(
    ("stdin", "message"),
    [("short\n", "at least 12 characters"), ("\n", "no password on standard input")],
)
def test_create_admin_rejects_bad_passwords_in_one_line(
    cli_env: dict[str, str], stdin: str, message: str
) -> None:
    assert run("db", "upgrade")[0] == 0
    code, out = run(
        "users",
        "create-admin",
        "--username",
        "root",
        "--email",
        "root@example.test",
        "--password-stdin",
        stdin=stdin,
    )
    assert code == 2
    assert message in out
    assert "Traceback" not in out
    assert len(out.strip().splitlines()) == 1


def test_create_admin_before_migrations_says_what_to_run(cli_env: dict[str, str]) -> None:
    if cli_env["CLAUDE_TUI_DATABASE_URL"].startswith("sqlite"):
        # The running service never creates a SQLite file: give it an empty one.
        path = Path(cli_env["CLAUDE_TUI_DATABASE_URL"].split("///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    code, out = run(
        "users",
        "create-admin",
        "--username",
        "root",
        "--email",
        "root@example.test",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 2, out
    assert "claude-tui db upgrade" in out
    assert len(out.strip().splitlines()) == 1


def test_create_admin_without_a_terminal_asks_for_password_stdin(
    cli_env: dict[str, str],
) -> None:
    """As a real program with no terminal, it refuses to prompt and says what to do."""
    entry = Path(sys.executable).with_name("claude-tui")
    result = subprocess.run(
        [str(entry), "users", "create-admin", "--username", "root", "--email", "r@example.test"],
        env={**os.environ, **cli_env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--password-stdin" in result.stderr
    assert "Traceback" not in result.stderr


def _read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{marker!r} not seen; got {seen!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


def _take_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_create_admin_prompts_twice_without_echo_on_a_terminal(cli_env: dict[str, str]) -> None:
    """A person at a terminal types the password twice; it never appears on the screen."""
    assert run("db", "upgrade")[0] == 0
    entry = Path(sys.executable).with_name("claude-tui")
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [str(entry), "users", "create-admin", "--username", "tty", "--email", "t@example.test"],
        env={**os.environ, **cli_env},
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        close_fds=True,
        # The terminal must be the child's controlling terminal, as in a real login shell.
        preexec_fn=_take_terminal,
    )
    os.close(secondary)
    try:
        # Click prints the prompt, then getpass turns echo off and prints the final space.
        screen = _read_until(primary, b"Password: ")
        os.write(primary, PASSWORD.encode() + b"\n")
        screen += _read_until(primary, b"Repeat password: ")
        os.write(primary, PASSWORD.encode() + b"\n")
        screen += _read_until(primary, b"created")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    assert b"administrator tty created" in screen
    assert PASSWORD.encode() not in screen
