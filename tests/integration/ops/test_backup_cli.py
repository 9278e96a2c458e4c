"""``claude-tui backup``: what an operator types."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
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


def _cli(env: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as an operator runs it: a process of its own, its real stderr."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CLAUDE_TUI_DATABASE_URL", "CLAUDE_TUI_BACKUP_KEY", "CLAUDE_TUI_ENV")
    }
    environ["CLAUDE_TUI_DATA_DIR"] = str(env / "data")
    return subprocess.run(
        [sys.executable, "-m", "claude_tui", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_line_failure(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claude-tui: "), lines
    assert words in lines[0], lines


def _created(env: Path) -> tuple[str, Path]:
    assert _cli(env, "db", "upgrade").returncode == 0
    created = _cli(env, "backup", "create")
    assert created.returncode == 0, created.stderr
    backup_id = created.stdout.split()[1].rstrip(":")
    return backup_id, env / "data" / "backups" / f"{backup_id}.manifest.json"


def test_a_tampered_archive_with_a_matching_checksum_is_one_line(env: Path) -> None:
    backup_id, manifest_path = _created(env)
    manifest = json.loads(manifest_path.read_text())
    archive = manifest_path.parent / manifest["file"]
    # Not an SQLite database any more, yet the manifest's checksum agrees with it.
    with gzip.open(archive, "wb") as out:
        out.write(b"this is not an sqlite database" * 100)
    manifest["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    for command in ("verify", "restore"):
        _one_line_failure(_cli(env, "backup", command, backup_id), "not a readable")
    # Not even gzip.
    archive.write_bytes(b"garbage" * 50)
    manifest["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    _one_line_failure(_cli(env, "backup", "verify", backup_id), "not a readable")


def test_backup_ids_and_manifest_files_stay_in_the_backup_directory(env: Path) -> None:
    backup_id, manifest_path = _created(env)
    outside = env / "precious.txt"
    outside.write_text("keep me\n")
    (env / "data" / "stray.manifest.json").write_text("{}")
    for bad_id in ("../stray", "../../precious", "/etc/passwd", "a/b"):
        _one_line_failure(_cli(env, "backup", "verify", bad_id), "backup id")
    manifest = json.loads(manifest_path.read_text())
    for bad_file in ("../../precious.txt", str(outside), "sub/dir.gz", ".."):
        manifest["file"] = bad_file
        manifest_path.write_text(json.dumps(manifest))
        _one_line_failure(_cli(env, "backup", "verify", backup_id), "outside")
    # Retention would delete each old backup's archive: never a file outside.
    manifest["file"] = "../../precious.txt"
    manifest_path.write_text(json.dumps(manifest))
    _one_line_failure(_cli(env, "backup", "create", "--keep", "1"), "outside")
    assert outside.read_text() == "keep me\n"
