"""The ``claude-tui`` command, in process and as a real program."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from claude_tui.cli import app
from claude_tui.settings import get_settings
from servers import free_port

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"),
        "CLAUDE_TUI_ENV": "development",
    }
    for key in list(os.environ):
        if key.startswith("CLAUDE_TUI_") and key != "CLAUDE_TUI_REQUIRE_SERVICES":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_db_commands_migrate_up_and_down(cli_env: dict[str, str]) -> None:
    code, out = run("db", "current")
    assert code == 0
    assert "no revision" in out
    code, out = run("db", "upgrade")
    assert code == 0, out
    code, out = run("db", "current")
    assert "(head)" in out
    code, out = run("db", "history")
    assert "initial schema" in out
    code, out = run("db", "downgrade", "base")
    assert code == 0
    assert "no revision" in run("db", "current")[1]


def test_db_upgrade_on_unreachable_database_is_one_line(
    cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv(
        "CLAUDE_TUI_DATABASE_URL", f"postgresql+asyncpg://u:topsecret@127.0.0.1:{port}/x"
    )
    get_settings.cache_clear()
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claude-tui: upgrade failed")
    assert "topsecret" not in result.stderr


def test_config_show_redacts(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_TUI_SECRET_KEY", "k" * 8 + "Zq93jfLw0P2vXe81nnA7TzQmB4cYd6")
    monkeypatch.setenv("CLAUDE_TUI_REDIS_URL", "redis://:pw-in-url@cache:6379/0")
    get_settings.cache_clear()
    code, out = run("config", "show")
    assert code == 0
    assert "Zq93jf" not in out
    assert "pw-in-url" not in out
    assert "secret_key" in out
    assert "**********" in out
    code, out = run("config", "show", "--json")
    assert '"redis_url": "redis://:***@cache:6379/0"' in out


def test_version(cli_env: dict[str, str]) -> None:
    from claude_tui import __version__

    assert run("version") == (0, f"{__version__}\n")


def test_invalid_setting_is_one_readable_line(cli_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "config", "show"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CLAUDE_TUI_PORT": "not-a-port"},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "claude-tui: invalid setting port: Input should be a valid integer, unable to parse "
        "string as an integer"
    ]


@pytest.mark.parametrize("key", [None, "weak"])
def test_production_without_a_strong_key_refuses_to_start(
    cli_env: dict[str, str], key: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CLAUDE_TUI_SECRET_KEY"}
    if key:
        env["CLAUDE_TUI_SECRET_KEY"] = key
    result = subprocess.run(
        [sys.executable, "-m", "claude_tui", "serve", "--env", "production", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "CLAUDE_TUI_SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def live_server(cli_env: dict[str, str]) -> Iterator[str]:
    """``claude-tui db upgrade`` then ``claude-tui serve``, as ``make run`` does."""
    env = {**os.environ}
    subprocess.run(
        [sys.executable, "-m", "claude_tui", "db", "upgrade"], env=env, check=True, timeout=60
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claude_tui", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError(proc.communicate()[0].decode())
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_served_api_answers_and_health_check_passes(live_server: str) -> None:
    for path in ("/health", "/ready", "/version", "/docs", "/openapi.json"):
        assert httpx.get(live_server + path, timeout=5).status_code == 200, path
    metrics = httpx.get(live_server + "/metrics", timeout=5).text
    assert 'route="/ready",status_class="2xx"' in metrics
    code, out = run("health-check", "--url", live_server)
    assert code == 0, out
    assert out.startswith("ready:")


def test_health_check_fails_when_nothing_answers(cli_env: dict[str, str]) -> None:
    code, out = run("health-check", "--url", f"http://127.0.0.1:{free_port()}", "--timeout", "1")
    assert code == 1
    assert "not ready" in out


def test_health_check_reports_the_failing_component(
    cli_env: dict[str, str], live_server: str
) -> None:
    db_file = Path(cli_env["CLAUDE_TUI_DATA_DIR"]) / "claude-tui.db"
    db_file.rename(db_file.with_suffix(".moved"))
    code, out = run("health-check", "--url", live_server)
    assert code == 1
    assert "database" in out
