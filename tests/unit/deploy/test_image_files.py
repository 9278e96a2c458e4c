"""The Dockerfile, its entrypoint and build context, checked by the real linters and run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from servers import require_tool
from unit.deploy.deploy_tools import ROOT, tool

DOCKER = ROOT / "deploy" / "docker"
SCRIPTS = [
    DOCKER / "entrypoint.sh",
    DOCKER / "build-wheels.sh",
    DOCKER / "make-base-image.sh",
    ROOT / ".ci" / "setup.d" / "40-containers.sh",
]


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run(
        [tool("hadolint"), "--failure-threshold", "info", str(DOCKER / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_shellcheck_finds_nothing_in_the_scripts() -> None:
    shellcheck = require_tool("shellcheck", install="apt-get install shellcheck")
    result = subprocess.run(
        [shellcheck, *map(str, SCRIPTS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_build_context_excludes_everything_but_what_the_image_needs() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "exclude by default, then allow"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    copied = {
        part.rstrip("/")
        for line in dockerfile.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for part in line.split()[1:-1]
    }
    # A file is in the context when it or a directory holding it is allowed.
    outside = {
        path
        for path in copied
        if not any(path == item or path.startswith(item + "/") for item in allowed)
    }
    assert not outside, outside
    assert not {".venv", "tests", ".git", ".env"} & allowed


def _entrypoint(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "CLAUDE_TUI_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    return subprocess.run(
        ["sh", str(DOCKER / "entrypoint.sh"), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_entrypoint_runs_migrations_for_the_migrate_role(tmp_path: Path) -> None:
    result = _entrypoint(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert "database at head" in result.stdout
    assert (tmp_path / "data" / "claude-tui.db").is_file()


def test_entrypoint_reads_secrets_from_files(tmp_path: Path) -> None:
    url_file = tmp_path / "database-url"
    url_file.write_text(f"sqlite+aiosqlite:///{tmp_path / 'from-file.db'}\n", encoding="utf-8")
    result = _entrypoint(tmp_path, "db", "upgrade", CLAUDE_TUI_DATABASE_URL_FILE=str(url_file))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-file.db").is_file(), "the URL came from the file"


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "AGENT_API_KEY"])
def test_entrypoint_refuses_an_unreadable_secret_file(tmp_path: Path, name: str) -> None:
    result = _entrypoint(
        tmp_path, "version", **{f"CLAUDE_TUI_{name}_FILE": str(tmp_path / "absent")}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"claude-tui-entrypoint: CLAUDE_TUI_{name}_FILE names {tmp_path / 'absent'},"
        " which cannot be read"
    )


def test_entrypoint_passes_other_commands_through(tmp_path: Path) -> None:
    assert _entrypoint(tmp_path, "version").stdout.strip()
    assert _entrypoint(tmp_path, "echo", "hello").stdout == "hello\n"
