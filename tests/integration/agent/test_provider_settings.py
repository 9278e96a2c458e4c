"""The provider settings stored on the server: the API key goes in, is kept encrypted, never
comes out, and is what the agent sends to the model."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select, text

from claude_tui.agent.providers import ensure_provider_configured
from claude_tui.services import api_keys, provider_settings
from claude_tui.services.principal import Principal
from claude_tui.settings import Settings
from claude_tui.storage.models import AuditLogEntry
from model_server import ModelServer, Reply, ToolUse
from task_polling import wait_for

URL = "/api/v1/settings/provider"
FIX = {"path": "calc.py", "edits": [{"search": "return a - b", "replace": "return a + b"}]}


@pytest.fixture(autouse=True)
def no_environment_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the key stored through the API may reach the model."""
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def new_key() -> str:
    return f"sk-test-{secrets.token_urlsafe(24)}"


async def raw_stored_key(app: FastAPI) -> str | None:
    async with app.state.db.session() as session:
        value = await session.scalar(text("SELECT api_key_encrypted FROM provider_settings"))
    return None if value is None else str(value)


async def test_the_key_is_stored_encrypted_and_never_returned(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    make_user: Callable[..., Awaitable[Any]],
) -> None:
    key = new_key()
    response = await client.put(
        URL,
        json={"provider": "anthropic", "model": "claude-sonnet-4-6", "api_key": key},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["api_key_set"] is True
    assert body["api_key_last4"] == key[-4:]
    assert body["provider"] == "anthropic"
    assert key not in response.text
    assert "api_key" not in body

    user = await make_user()
    seen = await client.get(URL, headers=user.headers)
    assert seen.status_code == 200
    assert seen.json()["api_key_last4"] == key[-4:]
    assert key not in seen.text

    # At rest: the raw column holds a Fernet token, not the key nor any long piece of it.
    stored = await raw_stored_key(app)
    assert stored is not None
    assert stored.startswith("gAAAA")  # a Fernet token's version byte and timestamp
    assert key not in stored
    assert key[8:20] not in stored
    assert provider_settings.decrypt_api_key(app.state.secret_key, stored) == key
    with pytest.raises(provider_settings.StoredKeyUnreadableError):
        provider_settings.decrypt_api_key(secrets.token_urlsafe(48), stored)

    async with app.state.db.session() as session:
        entries = list(
            await session.scalars(
                select(AuditLogEntry).where(AuditLogEntry.action.like("provider_settings.%"))
            )
        )
    assert [e.action for e in entries] == ["provider_settings.update"]
    assert entries[0].detail["api_key"] == "replaced"
    assert key not in str(entries[0].detail)

    # Changing the model without a key keeps the key; DELETE removes it.
    kept = await client.put(URL, json={"provider": "anthropic"}, headers=admin_headers)
    assert kept.json()["api_key_set"] is True
    assert kept.json()["model"] is None
    assert await raw_stored_key(app) == stored
    cleared = await client.delete(f"{URL}/api-key", headers=admin_headers)
    assert cleared.status_code == 200
    assert cleared.json()["api_key_set"] is False
    assert cleared.json()["api_key_last4"] is None
    assert await raw_stored_key(app) is None
    async with app.state.db.session() as session:
        actions = list(
            await session.scalars(
                select(AuditLogEntry.action)
                .where(AuditLogEntry.action.like("provider_settings.%"))
                .order_by(AuditLogEntry.id)
            )
        )
    assert actions[-1] == "provider_settings.clear_api_key"


async def test_a_short_key_shows_no_tail(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.put(
        URL, json={"provider": "openai", "api_key": "ollama"}, headers=admin_headers
    )
    assert response.status_code == 200
    assert response.json()["api_key_set"] is True
    assert response.json()["api_key_last4"] is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"provider": "skynet"}, "Unknown provider"),
        ({"provider": "anthropic", "api_key": ""}, "api_key must not be empty"),
        ({"provider": "anthropic", "api_key": "   "}, "api_key must not be empty"),
        ({"api_key": "has space inside"}, "visible ASCII"),
        ({"api_key": "line\nbreak"}, "visible ASCII"),
        ({"base_url": "ftp://models.example"}, "http:// or https://"),
        ({"base_url": "http://"}, "http:// or https://"),
        ({"base_url": "localhost:11434"}, "http:// or https://"),
        ({"model": "   "}, "model must not be empty"),
        ({"model": "a\tb"}, "control characters"),
        ({"secret": "x"}, "secret"),
    ],
)
async def test_bad_input_is_one_readable_problem(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    body: dict[str, str],
    words: str,
) -> None:
    response = await client.put(URL, json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert words in str(problem)
    assert "\n" not in problem["detail"]
    assert await raw_stored_key(app) is None


async def test_only_administrators_with_the_scope_change_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin: Any,
    make_user: Callable[..., Awaitable[Any]],
) -> None:
    user = await make_user()
    denied = await client.put(URL, json={"api_key": new_key()}, headers=user.headers)
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    gone = await client.delete(f"{URL}/api-key", headers=user.headers)
    assert gone.status_code == 403

    owner = Principal(user_id=admin.id, username=admin.username, is_admin=True)
    async with app.state.db.session() as session:
        narrow = await api_keys.create_key(session, owner, name="ro", scopes=["projects:read"])
        wide = await api_keys.create_key(session, owner, name="rw", scopes=["settings:write"])
    refused = await client.put(URL, json={"model": "m"}, headers={"X-API-Key": narrow.secret})
    assert refused.status_code == 403
    assert "settings:write" in refused.json()["detail"]
    allowed = await client.put(URL, json={"model": "m"}, headers={"X-API-Key": wide.secret})
    assert allowed.status_code == 200, allowed.text
    assert (await client.get(URL)).status_code == 401


async def test_a_key_encrypted_under_another_secret_is_reported_not_used(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str], settings: Settings
) -> None:
    await client.put(
        URL, json={"provider": "anthropic", "api_key": new_key()}, headers=admin_headers
    )
    other = settings.model_copy(update={"secret_key": SecretStr(secrets.token_urlsafe(48))})
    async with app.state.db.session() as session:
        view = await provider_settings.read(session, other.resolve_secret_key())
        assert view.api_key_set is True
        assert view.api_key_readable is False
        assert view.api_key_last4 is None
        with pytest.raises(provider_settings.StoredKeyUnreadableError, match="enter the key"):
            await provider_settings.effective_settings(session, other)
        mine = await provider_settings.effective_settings(session, settings)
    assert ensure_provider_configured(mine) == "anthropic"


@pytest.mark.sandbox
async def test_a_task_runs_with_the_key_set_only_through_the_api(
    make_settings: Callable[..., Settings],
    sqlite_url: str,
    tmp_path: Path,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    from claude_tui.api.app import create_app
    from claude_tui.storage import migrate

    settings = make_settings(
        database_url=sqlite_url, workspace_root=tmp_path / "workspaces", agent_max_retries=1
    )
    assert settings.agent_api_key is None
    assert settings.agent_provider is None
    migrate.upgrade(settings.database_url)
    application = create_app(settings)
    key = new_key()
    async with application.router.lifespan_context(application):
        assert application.state.execution is None  # nothing configured at start
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = await _admin_headers(application)
            before = (await client.get("/api/v1/agent/status", headers=headers)).json()
            assert before["configured"] is False
            put = await client.put(
                URL,
                json={
                    "provider": "anthropic",
                    "model": "claude-sonnet-4-6",
                    "base_url": model_server.base_url,
                    "api_key": key,
                },
                headers=headers,
            )
            assert put.status_code == 200, put.text
            after = (await client.get("/api/v1/agent/status", headers=headers)).json()
            assert after["configured"] is True
            assert after["model"] == "claude-sonnet-4-6"

            project = await client.post(
                "/api/v1/projects",
                json={
                    "name": "calc",
                    "workspace_path": "calc",
                    "settings": {"permission_mode": "auto"},
                },
                headers=headers,
            )
            assert project.status_code == 201, project.text
            calc_project(settings.effective_workspace_root / "calc")
            model_server.add(
                Reply(tool_calls=[ToolUse("edit_file", FIX)]),
                Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
            )
            created = await client.post(
                f"/api/v1/projects/{project.json()['id']}/agent-tasks",
                json={"instruction": "Fix add so the tests pass"},
                headers=headers,
            )
            assert created.status_code == 201, created.text
            task = await wait_for(
                client,
                headers,
                created.json()["id"],
                lambda t: t["status"] in ("succeeded", "failed", "cancelled"),
            )
    assert task["status"] == "succeeded", task["error"]
    assert model_server.requests, "the model server was never called"
    # The SDK sends the key as x-api-key or as a bearer token, depending on its version.
    sent = {
        r.headers.get("x-api-key") or r.headers.get("authorization", "").removeprefix("Bearer ")
        for r in model_server.requests
    }
    assert sent == {key}
    assert all(r.body.get("model") == "claude-sonnet-4-6" for r in model_server.requests)


async def _admin_headers(app: FastAPI) -> dict[str, str]:
    from claude_tui.api.deps import policy_for
    from claude_tui.services import identity, tokens
    from claude_tui.storage.models import User

    operator = Principal(user_id=0, username="operator", is_admin=True, via="local")
    async with app.state.db.session() as session:
        view = await identity.create_user(
            session,
            operator,
            username="boss",
            email="boss@example.test",
            password=f"Pw-{secrets.token_urlsafe(18)}",
            is_admin=True,
        )
        user = await session.get(User, view.id)
        assert user is not None
        pair = await tokens.start_session(session, policy_for(app), user)
    return {"Authorization": f"Bearer {pair.access_token}"}


@pytest.mark.sandbox
def test_the_cli_runs_a_task_with_the_stored_provider(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    model_server: ModelServer,
    calc_project: Callable[[Path], Path],
) -> None:
    """``claude-tui task run`` with nothing in the environment but the data directory."""
    import asyncio

    from typer.testing import CliRunner

    from claude_tui.cli import app as cli_app
    from claude_tui.settings import get_settings
    from claude_tui.storage import migrate

    for name in ("PROVIDER", "MODEL", "BASE_URL", "API_KEY"):
        monkeypatch.delenv(f"CLAUDE_TUI_AGENT_{name}", raising=False)
    monkeypatch.setenv("CLAUDE_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLAUDE_TUI_WORKSPACE_ROOT", str(tmp_path / "ws"))
    monkeypatch.setenv("CLAUDE_TUI_REDIS_URL", "")
    get_settings.cache_clear()
    try:
        settings = get_settings()
        migrate.upgrade(settings.database_url)
        refused = CliRunner().invoke(cli_app, ["task", "run", "calc", "Fix add"])
        assert refused.exit_code == 2
        assert "no AI model provider is configured" in refused.output
        key = new_key()
        asyncio.run(_store_provider_and_project(settings, model_server, key))
        calc_project(tmp_path / "ws" / "calc")
        model_server.add(
            Reply(tool_calls=[ToolUse("edit_file", FIX)]),
            Reply(tool_calls=[ToolUse("finish", {"summary": "fixed"})]),
        )
        result = CliRunner().invoke(cli_app, ["task", "run", "calc", "Fix add", "--yes"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("task 1 succeeded")
    assert key not in result.output
    assert {r.headers.get("authorization") for r in model_server.requests} == {f"Bearer {key}"}
    assert {r.body.get("model") for r in model_server.requests} == {"qwen2.5-coder:7b"}


async def _store_provider_and_project(settings: Settings, server: ModelServer, key: str) -> None:
    from claude_tui.services import identity, projects
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
            await provider_settings.update(
                session,
                owner,
                settings.resolve_secret_key(),
                provider_settings.ProviderSettingsChange(
                    "openai", "qwen2.5-coder:7b", server.openai_base_url, key
                ),
            )
        async with db.session() as session:
            await projects.create_project(
                session,
                owner,
                settings.effective_workspace_root,
                projects.ProjectCreate(name="calc", workspace_path="calc"),
            )
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "https://alice:s3cret-pw@models.example/v1",
        "https://s3cret-pw@models.example/v1",
        "http://:s3cret-pw@127.0.0.1:11434/v1",
    ],
)
async def test_a_base_url_with_credentials_is_refused_and_never_stored(
    app: FastAPI, client: httpx.AsyncClient, admin_headers: dict[str, str], url: str
) -> None:
    response = await client.put(
        URL, json={"provider": "openai", "base_url": url}, headers=admin_headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "credentials" in response.json()["detail"]
    assert "s3cret-pw" not in response.text
    async with app.state.db.session() as session:
        stored = await session.scalar(text("SELECT count(*) FROM provider_settings"))
        logged = await session.scalar(
            text("SELECT count(*) FROM audit_log WHERE CAST(detail AS TEXT) LIKE '%s3cret%'")
        )
    assert stored == 0
    assert logged == 0


async def test_credentials_stored_in_a_base_url_before_are_masked_for_every_reader(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    make_user: Callable[..., Awaitable[Any]],
) -> None:
    saved = await client.put(
        URL,
        json={"provider": "openai", "base_url": "https://models.example:8443/v1"},
        headers=admin_headers,
    )
    assert saved.status_code == 200, saved.text
    # A row written by an earlier version, which accepted credentials in the URL.
    async with app.state.db.session() as session:
        await session.execute(
            text("UPDATE provider_settings SET base_url = :url"),
            {"url": "https://alice:s3cret-pw@models.example:8443/v1"},
        )
        await session.commit()
    user = await make_user()
    for headers in (user.headers, admin_headers):
        seen = await client.get(URL, headers=headers)
        assert seen.status_code == 200
        assert "s3cret-pw" not in seen.text
        assert "alice" not in seen.text
        assert seen.json()["base_url"] == "https://***@models.example:8443/v1"
