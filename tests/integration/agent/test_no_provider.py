"""Without a model provider the platform works, and AI tasks are refused with the way out."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from typer.testing import CliRunner

from claude_tui.cli import app as cli_app
from claude_tui.settings import Settings


@pytest.fixture
def settings(make_settings: Callable[..., Settings], sqlite_url: str) -> Settings:
    return make_settings(database_url=sqlite_url)


async def test_creating_an_ai_task_without_a_provider_is_a_clear_422(
    client: httpx.AsyncClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    project = await client.post(
        "/api/v1/projects", json={"name": "p", "workspace_path": "p"}, headers=admin_headers
    )
    assert project.status_code == 201
    response = await client.post(
        f"/api/v1/projects/{project.json()['id']}/agent-tasks",
        json={"instruction": "do it"},
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "ANTHROPIC_API_KEY" in detail
    assert "CLAUDE_TUI_AGENT_BASE_URL" in detail
    status = (await client.get("/api/v1/agent/status", headers=admin_headers)).json()
    assert status["configured"] is False
    assert "ANTHROPIC_API_KEY" in status["detail"]
    plain = await client.post(
        f"/api/v1/projects/{project.json()['id']}/tasks",
        json={"title": "a plain task"},
        headers=admin_headers,
    )
    assert plain.status_code == 201


def test_cli_says_in_one_line_how_to_configure_a_provider(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path))
    from claude_tui.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["task", "run", "p", "do it"])
    get_settings.cache_clear()
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "ANTHROPIC_API_KEY" in lines[0]
    assert "Ollama" in lines[0]
