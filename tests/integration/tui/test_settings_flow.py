"""The Settings screen's provider form: the key typed is never shown, and the server keeps it."""

from __future__ import annotations

import secrets
import string
from typing import Any

import pytest
from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label, Select

from claude_tui.services.provider_settings import decrypt_api_key
from claude_tui.storage.database import Database
from claude_tui.tui.app import ClaudeTuiApp
from claude_tui.tui.screens.settings import SettingsScreen
from model_server import ModelServer
from tui_pilot import wait_until

App = tuple[ClaudeTuiApp, Pilot[Any]]


def label(app: ClaudeTuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


async def open_settings(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
    await wait_until(pilot, lambda: label(app, "#key-state") != "…")
    await wait_until(pilot, lambda: label(app, "#provider") != "…")
    # Let the layout settle: a click goes where the widget is drawn.
    await pilot.pause(0.1)


async def test_the_api_key_typed_is_never_shown_and_is_stored(tui: App) -> None:
    app, pilot = tui
    await open_settings(app, pilot)
    assert label(app, "#key-state").startswith("no key stored")
    key = "sk" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(30))

    app.screen.query_one("#provider-name", Select).value = "anthropic"
    app.screen.query_one("#provider-model", Input).value = "claude-sonnet-4-6"
    app.screen.query_one("#api-key", Input).focus()
    await pilot.press(*key)
    await pilot.pause()
    field = app.screen.query_one("#api-key", Input)
    assert field.value == key
    assert field.password
    screen = app.export_screenshot()
    assert key[-8:] not in screen
    assert key[:8] not in screen
    assert "•" * 8 in screen

    await pilot.click("#save-provider")
    await wait_until(pilot, lambda: label(app, "#key-state") == f"key set (…{key[-4:]})")
    assert field.value == ""
    assert key[-8:] not in app.export_screenshot()
    assert app.client is not None
    stored = await app.client.provider_settings()
    assert stored["api_key_set"] is True
    assert stored["api_key_last4"] == key[-4:]
    assert stored["provider"] == "anthropic"
    assert stored["model"] == "claude-sonnet-4-6"
    assert key not in str(stored)

    # In the database: a token that is not the key and that opens to it with the server's key.
    settings = app.connection.settings  # type: ignore[attr-defined]
    db = Database(settings.database_url)
    try:
        async with db.session() as session:
            raw = await session.scalar(text("SELECT api_key_encrypted FROM provider_settings"))
    finally:
        await db.dispose()
    assert isinstance(raw, str)
    assert key not in raw
    assert decrypt_api_key(settings.resolve_secret_key(), raw) == key

    # The provider is configured now: the status line says so.
    await wait_until(pilot, lambda: label(app, "#provider").startswith("tasks run with anthropic"))

    await pilot.click("#clear-key")
    await wait_until(pilot, lambda: label(app, "#key-state").startswith("no key stored"))
    assert (await app.client.provider_settings())["api_key_set"] is False


async def test_a_bad_base_url_is_a_notification_and_nothing_is_stored(tui: App) -> None:
    app, pilot = tui
    await open_settings(app, pilot)
    app.screen.query_one("#provider-url", Input).value = "ftp://models.example"
    app.screen.query_one("#api-key", Input).value = "sk-never-stored-0000"
    await pilot.click("#save-provider")
    await wait_until(pilot, lambda: len(app._notifications) > 0)
    messages = [n.message for n in app._notifications]
    assert any("http:// or https://" in m for m in messages), messages
    assert isinstance(app.screen, SettingsScreen)
    assert app.client is not None
    assert (await app.client.provider_settings())["api_key_set"] is False


async def press_test_connection(app: ClaudeTuiApp, pilot: Pilot[Any]) -> None:
    app.screen.query_one("#test-provider", Button).focus()
    await pilot.press("enter")


async def test_test_connection_lists_the_models_or_shows_the_error(
    tui: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    app, pilot = tui
    await open_settings(app, pilot)
    key = "sk-" + secrets.token_urlsafe(24)
    with ModelServer(models=["local-a", "local-b"], api_key=key) as server:
        app.screen.query_one("#provider-name", Select).value = "openai"
        app.screen.query_one("#provider-model", Input).value = "local-a"
        app.screen.query_one("#provider-url", Input).value = server.openai_base_url
        app.screen.query_one("#api-key", Input).value = key
        await pilot.click("#save-provider")
        await wait_until(pilot, lambda: label(app, "#key-state") == f"key set (…{key[-4:]})")

        await press_test_connection(app, pilot)
        await wait_until(pilot, lambda: label(app, "#provider-check") == "connected: 2 models")

        app.screen.query_one("#api-key", Input).value = "sk-" + secrets.token_urlsafe(24)
        await pilot.click("#save-provider")
        await wait_until(pilot, lambda: label(app, "#key-state") != f"key set (…{key[-4:]})")
        await press_test_connection(app, pilot)
        await wait_until(
            pilot, lambda: label(app, "#provider-check") == "failed: HTTP 401: invalid x-api-key"
        )
    assert key not in app.export_screenshot()
