"""``claude-tui backup``: what an operator types."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claude_tui.cli import app
from claude_tui.settings import get_settings

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CLAUDE_TUI_DATABASE_URL", raising=False)
    monkeypatch.delenv("CLAUDE_TUI_BACKUP_KEY", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_create_list_verify_restore(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("db", "upgrade")[0] == 0
    assert invoke("backup", "list") == (0, "no backups\n")
    key = invoke("backup", "keygen")[1].strip()
    monkeypatch.setenv("CLAUDE_TUI_BACKUP_KEY", key)
    get_settings.cache_clear()
    code, out = invoke("backup", "create", "--keep", "2")
    assert code == 0, out
    assert "encrypted" in out
    backup_id = out.split()[1].rstrip(":")
    code, out = invoke("backup", "list")
    assert backup_id in out
    assert "enc" in out
    code, out = invoke("backup", "verify", backup_id)
    assert code == 0, out
    code, out = invoke("backup", "restore", backup_id)
    assert code == 0, out


def test_errors_are_one_line(env: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    code, out = invoke("backup", "verify", "20990101T000000Z-abcdef")
    assert code == 1
    assert out.startswith("claude-tui: no backup")
    assert out.count("\n") == 1
    bad = env / "bad.key"
    bad.write_text("not-a-key")
    code, out = invoke("backup", "create", "--key-file", str(bad))
    assert code == 2
    assert "32 url-safe base64" in out
