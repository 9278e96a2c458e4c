"""The terminal UI against a real embedded server on a temp SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from claude_tui.cli.tui_cmd import EmbeddedConnection
from claude_tui.settings import Settings
from claude_tui.tui.app import ClaudeTuiApp
from tui_pilot import wait_until


@pytest.fixture
def tui_settings(make_settings: Callable[..., Settings], sqlite_url: str) -> Settings:
    return make_settings(database_url=sqlite_url)


@pytest.fixture
async def tui(tui_settings: Settings) -> AsyncIterator[tuple[ClaudeTuiApp, Pilot[Any]]]:
    app = ClaudeTuiApp(EmbeddedConnection(tui_settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.client is not None)
        yield app, pilot
