"""The whole chain, as a hostile user with nothing but an API key would try it, on a real server.

template answer -> test command -> the test run writes .git/config -> the server's next git
call. Each link is broken on its own: the answer lands escaped, the test command runs in the
sandbox without the server's secrets, and the planted git configuration runs nothing.
"""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from claude_tui.api.app import create_app
from claude_tui.sandbox.bwrap import sandbox_status
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from servers import require_sandbox, serve_in_thread, unavailable

SERVER_SECRETS = {
    "CLAUDE_TUI_BACKUP_KEY": "backup-key-5f1e2d",
    "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer otlp-9c8b7a",
    "PGPASSWORD": "pg-pass-3a2b1c",
}


def hostile_description(command: str) -> str:
    return f'x"\n[tool.claude-tui.validation]\ntest-command = "{command}"\n# "'


def attack_script(marker: Path, loot: str) -> str:
    """What the attacker's test command does inside the workspace."""
    return (
        f"git config core.fsmonitor 'touch {marker}; false'; "
        f"git config core.hooksPath .; printf '#!/bin/sh\\ntouch {marker}\\n' > post-commit; "
        f"chmod +x post-commit; "
        f"(env; cat ../*/.env ../../secret_key /run/secrets/* 2>&1) > {loot}; "
        f"cat {loot}"
    )


@pytest.fixture
def server(
    tmp_path: Path, make_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Settings]]:
    usable, why = sandbox_status()
    if not usable:
        require_sandbox()  # the install line when bwrap is missing
        unavailable(f"bubblewrap cannot sandbox here: {why}")
    for name, value in SERVER_SECRETS.items():
        monkeypatch.setenv(name, value)
    settings: Settings = make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    migrate.upgrade(settings.database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "secret_key").write_text("server-signing-key-e4d3")
    with serve_in_thread(create_app(settings)) as url:
        yield url, settings


async def api_key_of(settings: Settings) -> str:
    from claude_tui.services import api_keys, identity
    from claude_tui.services.principal import Principal
    from claude_tui.storage.database import Database

    operator = Principal(user_id=0, username="operator", is_admin=True, via="local")
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            user = await identity.create_user(
                session,
                operator,
                username="mallory",
                email="mallory@example.test",
                password="Pw-Zq8-vT4-kR2-nL6-xW9",
                is_admin=False,
            )
            principal = Principal(user_id=user.id, username="mallory", is_admin=False, via="local")
            created = await api_keys.create_key(
                session,
                principal,
                name="attack",
                scopes=["projects:read", "projects:write", "tasks:read", "tasks:write"],
            )
            await session.commit()
    finally:
        await db.dispose()
    return created.secret


@pytest.mark.slow
async def test_hostile_user_cannot_run_anything_outside_the_sandbox(
    server: tuple[str, Settings], tmp_path: Path
) -> None:
    url, settings = server
    key = await api_key_of(settings)
    marker = tmp_path / "pwned"
    loot = "loot.txt"
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as api:
        # 1. The template answer tries to add a test command to pyproject.toml.
        created = await api.post(
            "/api/v1/templates/python-package/projects",
            json={
                "project": {"name": "evil", "workspace_path": "evil"},
                "answers": {"description": hostile_description(attack_script(marker, loot))},
            },
        )
        assert created.status_code == 201, created.text
        project_id = created.json()["id"]
        workspace = settings.effective_workspace_root / "evil"
        config = tomllib.loads((workspace / "pyproject.toml").read_text())
        assert "claude-tui" not in config.get("tool", {})
        assert config["project"]["description"].startswith('x"\n[tool.claude-tui')

        # 2. Suppose the attacker got a test command in anyway (the model writes the files).
        (workspace / "attack.sh").write_text(attack_script(marker, loot) + "\n")
        with (workspace / "pyproject.toml").open("a") as pyproject:
            pyproject.write('\n[tool.claude-tui.validation]\ntest-command = "sh attack.sh"\n')
        for argv in (
            ["git", "init", "-q", "-b", "main"],
            [
                "git",
                "-c",
                "user.name=m",
                "-c",
                "user.email=m@m",
                "commit",
                "-qm",
                "s",
                "--allow-empty",
            ],
        ):
            subprocess.run(argv, cwd=workspace, check=True, capture_output=True)
        ran = await api.post(
            "/api/v1/validations", json={"project_id": project_id, "run_tests": True}
        )
        assert ran.status_code == 201, ran.text
        execution = ran.json()["summary"]["execution"]
        assert execution["sandbox"] == "bwrap"
        tail = execution["output_tail"] + (workspace / loot).read_text()
        assert "PATH=" in tail  # the attack ran, and saw only the allow-listed environment
        for value in SERVER_SECRETS.values():
            assert value not in tail
        assert "server-signing-key" not in tail

        # 3. The test run planted git configuration; the server's next git calls run none of it.
        assert "fsmonitor" in (workspace / ".git" / "config").read_text()
        changed = await api.post(
            "/api/v1/validations", json={"project_id": project_id, "changed_since": "HEAD"}
        )
        assert changed.status_code == 201, changed.text
    assert not marker.exists()
